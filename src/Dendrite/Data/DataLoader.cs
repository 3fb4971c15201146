using System.Collections;

namespace Dendrite.Data;

/// <summary>
/// Iterates a dataset in mini-batches (like <c>torch.utils.data.DataLoader</c>). Each enumeration is one epoch:
/// with <see cref="Shuffle"/>, the order is <c>Generator.Permutation(Count)</c> drawn from <see cref="Generator"/>
/// at the start of the enumeration, so the stream continues across epochs and the same seed gives the same
/// batches. Batches are <c>order[i .. i+BatchSize)</c> for i = 0, BatchSize, ...; the last one is partial unless
/// <see cref="DropLast"/>. Batches come from the dataset's batch gather (<see cref="IBatchDataset"/>) when it has one,
/// else from the collate step over per-sample tensors. With <see cref="NumWorkers"/> ≥ 1, worker threads build the
/// next batches into a bounded queue while the caller computes; the batches are identical to those without workers
/// (random transforms that draw from one shared generator are only reproducible with at most one worker). With a
/// <see cref="Sampler"/>, the sampler gives each epoch's order instead (PyTorch's <c>sampler=</c>; for example
/// <c>DistributedSampler</c>, one process's shard of the data).
/// </summary>
public sealed class DataLoader : IEnumerable<Batch>
{
    private readonly Func<IReadOnlyList<Tensor[]>, Tensor[]> _collate;

    /// <summary>Creates a loader over <paramref name="dataset"/>.</summary>
    /// <param name="dataset">Samples as one tensor per field.</param>
    /// <param name="batchSize">Samples per batch (≥ 1).</param>
    /// <param name="shuffle">Reshuffle every epoch.</param>
    /// <param name="dropLast">Skip the last batch when it is partial.</param>
    /// <param name="generator">The shuffle stream (default <see cref="Dendrite.Generator.Default"/>).</param>
    /// <param name="numWorkers">Background worker threads that prefetch batches (0: build batches on the caller's thread).</param>
    /// <param name="prefetchFactor">Batches each worker may have ready ahead of the consumer.</param>
    /// <param name="collate">Turns a list of samples into batch tensors (default <see cref="Collate.Stack"/>); used only when the dataset cannot gather batches itself.</param>
    /// <param name="sampler">Gives each epoch's indices instead of the loader's own order (then <paramref name="shuffle"/> must be false).</param>
    public DataLoader(IDataset<Tensor[]> dataset, int batchSize = 1, bool shuffle = false, bool dropLast = false,
        Generator? generator = null, int numWorkers = 0, int prefetchFactor = 2,
        Func<IReadOnlyList<Tensor[]>, Tensor[]>? collate = null, ISampler? sampler = null)
    {
        Dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"DataLoader: batchSize must be at least 1, got {batchSize}.");
        if (numWorkers < 0)
            throw new ArgumentOutOfRangeException(nameof(numWorkers), $"DataLoader: numWorkers must be non-negative, got {numWorkers}.");
        if (prefetchFactor < 1)
            throw new ArgumentOutOfRangeException(nameof(prefetchFactor), $"DataLoader: prefetchFactor must be at least 1, got {prefetchFactor}.");
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        Generator = generator ?? Generator.Default;
        NumWorkers = numWorkers;
        PrefetchFactor = prefetchFactor;
        _collate = collate ?? Collate.Stack;
        UsesCustomCollate = collate is not null;
        if (sampler is not null && shuffle)
            throw new ArgumentException("DataLoader: shuffle must be false when a sampler is given (the sampler decides the order; shuffle it there).", nameof(shuffle));
        Sampler = sampler;
    }

    /// <summary>The dataset being iterated.</summary>
    public IDataset<Tensor[]> Dataset { get; }

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch is shuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a partial last batch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>The stream that shuffles the epochs (its state is part of a training checkpoint).</summary>
    public Generator Generator { get; }

    /// <summary>Number of background worker threads.</summary>
    public int NumWorkers { get; }

    /// <summary>Batches each worker may prepare ahead.</summary>
    public int PrefetchFactor { get; }

    /// <summary>The sampler that gives each epoch's indices, or null for the loader's own order.</summary>
    public ISampler? Sampler { get; }

    private bool UsesCustomCollate { get; }

    // Indices per epoch: the sampler's, else the whole dataset.
    private int Length => Sampler?.Count ?? Dataset.Count;

    /// <summary>Number of batches per epoch.</summary>
    public int Count => DropLast ? Length / BatchSize : (Length + BatchSize - 1) / BatchSize;

    /// <summary>Number of samples per epoch (less than the dataset or sampler count when <see cref="DropLast"/> drops some).</summary>
    public int SampleCount => DropLast ? Count * BatchSize : Length;

    /// <summary>Starts an epoch: draws the order (when shuffling, or from the sampler) and, with workers, starts prefetching.</summary>
    public IEnumerator<Batch> GetEnumerator()
    {
        int n = Length;
        int[] order;
        if (Sampler is not null)
            order = SamplerOrder(Sampler);
        else if (Shuffle)
            order = Generator.Permutation(n);
        else
        {
            order = new int[n];
            for (int i = 0; i < n; i++)
                order[i] = i;
        }
        int batches = Count;
        Batch Produce(int k)
        {
            int start = k * BatchSize;
            int len = Math.Min(BatchSize, n - start);
            var indices = order.AsSpan(start, len).ToArray();
            return new Batch(BuildTensors(indices), indices);
        }
        return NumWorkers == 0
            ? new SequentialEnumerator(Produce, batches)
            : new PrefetchEnumerator(Produce, batches, NumWorkers, NumWorkers * PrefetchFactor);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // The sampler's indices, checked: a wrong count or an index outside the dataset would give wrong batches.
    private int[] SamplerOrder(ISampler sampler)
    {
        var order = sampler.Indices();
        if (order.Length != sampler.Count)
            throw new InvalidOperationException($"DataLoader: the sampler {sampler.GetType().Name} gave {order.Length} indices but its Count is {sampler.Count}.");
        int count = Dataset.Count;
        foreach (int i in order)
            if ((uint)i >= (uint)count)
                throw new InvalidOperationException($"DataLoader: the sampler {sampler.GetType().Name} gave index {i}, outside the dataset's {count} samples.");
        return order;
    }

    private Tensor[] BuildTensors(int[] indices)
    {
        if (!UsesCustomCollate && Dataset is IBatchDataset { CanGatherBatches: true } batched)
            return batched.GetBatch(indices);
        var samples = new Tensor[indices.Length][];
        for (int i = 0; i < indices.Length; i++)
            samples[i] = Dataset[indices[i]];
        return _collate(samples);
    }

    private sealed class SequentialEnumerator(Func<int, Batch> produce, int batches) : IEnumerator<Batch>
    {
        private int _next;
        private Batch? _current;

        public Batch Current => _current ?? throw new InvalidOperationException("DataLoader: enumeration has not started.");

        object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_next >= batches)
            {
                _current = null;
                return false;
            }
            _current = produce(_next++);
            return true;
        }

        public void Reset() => throw new NotSupportedException("DataLoader: start a new epoch with a new enumeration instead of Reset.");

        public void Dispose() => _next = batches;
    }
}

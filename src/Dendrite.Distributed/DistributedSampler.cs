using Dendrite.Data;
using Dendrite.Training;

namespace Dendrite.Distributed;

/// <summary>
/// One process's shard of every epoch (PyTorch's <c>DistributedSampler</c>): all ranks draw the same permutation of
/// the <see cref="DatasetCount"/> indices from a generator seeded with <see cref="Seed"/> + epoch, pad it by repeating
/// its first indices until it divides evenly over the ranks (or drop its tail with <see cref="DropLast"/>), and rank r
/// takes positions r, r + size, r + 2·size, … So the shards are disjoint apart from the padding and together cover
/// the epoch, and batch k of every rank together make up positions [k·B·size, (k+1)·B·size) of the permutation: the
/// global batch a single process with batch B·size would see. Call <see cref="SetEpoch"/> before each epoch to
/// reshuffle (<see cref="Trainer"/> does); pass it to a <see cref="DataLoader"/> as <c>sampler:</c>.
/// Given a <see cref="Generator"/> instead, each epoch's permutation is the next one drawn from that stream, as a
/// shuffled <see cref="DataLoader"/> draws it: pass the loader's own generator (seeded identically on every rank), and
/// the global batches are exactly those of the same loader shuffling in one process, and a training checkpoint (which
/// saves the loader's generator) resumes the order on any number of processes.
/// </summary>
public sealed class DistributedSampler : ISampler
{
    private int _epoch;

    /// <summary>A sampler of <paramref name="datasetCount"/> indices for rank <paramref name="rank"/> of <paramref name="worldSize"/>.</summary>
    /// <param name="datasetCount">The number of samples in the dataset.</param>
    /// <param name="rank">This process's rank.</param>
    /// <param name="worldSize">The number of processes sharing the data.</param>
    /// <param name="shuffle">Permute the indices every epoch (false: in dataset order).</param>
    /// <param name="seed">The shuffle seed, the same on every rank.</param>
    /// <param name="dropLast">Drop the permutation's tail so that it divides evenly, instead of padding it.</param>
    /// <param name="evenShards">
    /// True (PyTorch's behaviour): every rank gets the same number of indices, padded or dropped as above, as training
    /// needs (every rank makes the same number of steps). False: the indices are dealt out as they are, so every
    /// sample counts exactly once and shard sizes differ by at most one, for evaluation.
    /// </param>
    /// <param name="generator">Draw each epoch's permutation from this stream instead of <c>Seed + epoch</c> (requires <paramref name="shuffle"/>).</param>
    public DistributedSampler(int datasetCount, int rank, int worldSize, bool shuffle = true, ulong seed = 0, bool dropLast = false, bool evenShards = true,
        Generator? generator = null)
    {
        if (datasetCount < 0)
            throw new ArgumentOutOfRangeException(nameof(datasetCount), datasetCount, "DistributedSampler: the dataset count must be non-negative.");
        if (worldSize < 1)
            throw new ArgumentOutOfRangeException(nameof(worldSize), worldSize, "DistributedSampler: the world size must be at least 1.");
        if ((uint)rank >= (uint)worldSize)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"DistributedSampler: the rank must be in 0 .. {worldSize - 1}.");
        if (dropLast && !evenShards)
            throw new ArgumentException("DistributedSampler: dropLast evens the shards out; it cannot be combined with evenShards: false.", nameof(dropLast));
        if (generator is not null && !shuffle)
            throw new ArgumentException("DistributedSampler: a generator shuffles; it cannot be combined with shuffle: false.", nameof(generator));
        Generator = generator;
        DatasetCount = datasetCount;
        Rank = rank;
        WorldSize = worldSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        EvenShards = evenShards;
        if (!evenShards)
            Count = datasetCount / worldSize + (rank < datasetCount % worldSize ? 1 : 0);
        else if (dropLast)
            Count = datasetCount / worldSize;
        else
            Count = (datasetCount + worldSize - 1) / worldSize;
        if (evenShards && dropLast && Count == 0 && datasetCount > 0)
            throw new ArgumentException($"DistributedSampler: with dropLast, {datasetCount} samples leave nothing for each of {worldSize} ranks.", nameof(dropLast));
    }

    /// <summary>A sampler for this process's rank in <paramref name="group"/>.</summary>
    public DistributedSampler(int datasetCount, IProcessGroup group, bool shuffle = true, ulong seed = 0, bool dropLast = false, bool evenShards = true,
        Generator? generator = null)
        : this(datasetCount, (group ?? throw new ArgumentNullException(nameof(group))).Rank, group.Size, shuffle, seed, dropLast, evenShards, generator)
    {
    }

    /// <summary>The number of samples in the dataset.</summary>
    public int DatasetCount { get; }

    /// <summary>This process's rank.</summary>
    public int Rank { get; }

    /// <summary>The number of processes sharing the data.</summary>
    public int WorldSize { get; }

    /// <summary>Whether each epoch is a new permutation.</summary>
    public bool Shuffle { get; }

    /// <summary>The shuffle seed (epoch e draws from <c>new Generator(Seed + e)</c>) when there is no <see cref="Generator"/>.</summary>
    public ulong Seed { get; }

    /// <summary>The stream each epoch's permutation is drawn from, or null to draw it from <see cref="Seed"/> and the epoch.</summary>
    public Generator? Generator { get; }

    /// <summary>Whether the tail is dropped rather than padded.</summary>
    public bool DropLast { get; }

    /// <summary>Whether every rank gets the same number of indices.</summary>
    public bool EvenShards { get; }

    /// <summary>The epoch whose indices <see cref="Indices"/> gives (with a <see cref="Generator"/>, only recorded).</summary>
    public int Epoch => _epoch;

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public void SetEpoch(int epoch)
    {
        if (epoch < 0)
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "DistributedSampler.SetEpoch: the epoch must be non-negative.");
        _epoch = epoch;
    }

    /// <inheritdoc/>
    public int[] Indices()
    {
        int n = DatasetCount;
        int[] order;
        if (Generator is not null)
            order = Generator.Permutation(n);
        else if (Shuffle)
            order = new Generator(Seed + (ulong)_epoch).Permutation(n);
        else
        {
            order = new int[n];
            for (int i = 0; i < n; i++)
                order[i] = i;
        }
        var shard = new int[Count];
        // Position p of the padded permutation is order[p mod n]: padding repeats its beginning, as often as needed.
        for (int k = 0; k < shard.Length; k++)
            shard[k] = order[(int)(((long)k * WorldSize + Rank) % n)];
        return shard;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"DistributedSampler(rank {Rank} of {WorldSize}, {Count} of {DatasetCount} samples" +
        (Generator is not null ? ", shuffled from a generator)" : Shuffle ? $", shuffled, seed {Seed}, epoch {_epoch})" : ")");
}

namespace Dendrite.Data;

/// <summary>The samples of another dataset at a list of indices (like <c>torch.utils.data.Subset</c>).</summary>
public sealed class Subset<TSample> : IDataset<TSample>, IBatchDataset
{
    private readonly int[] _indices;

    /// <summary>A view of <paramref name="dataset"/> at <paramref name="indices"/> (copied; each must be in range).</summary>
    public Subset(IDataset<TSample> dataset, IEnumerable<int> indices)
    {
        Dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        _indices = (indices ?? throw new ArgumentNullException(nameof(indices))).ToArray();
        foreach (int i in _indices)
            if ((uint)i >= (uint)dataset.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Subset: index {i} is out of range for a dataset of {dataset.Count} samples.");
    }

    /// <summary>The underlying dataset.</summary>
    public IDataset<TSample> Dataset { get; }

    /// <summary>The indices into <see cref="Dataset"/>.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <inheritdoc/>
    public int Count => _indices.Length;

    /// <inheritdoc/>
    public TSample this[int index]
    {
        get
        {
            DatasetExtensions.CheckIndex(index, Count, "Subset");
            return Dataset[_indices[index]];
        }
    }

    /// <summary>True when the underlying dataset gathers batches itself.</summary>
    public bool CanGatherBatches => Dataset is IBatchDataset { CanGatherBatches: true };


    /// <summary>Gathers a batch through the underlying dataset's batch gather.</summary>
    public Tensor[] GetBatch(ReadOnlySpan<int> indices)
    {
        if (Dataset is not IBatchDataset { CanGatherBatches: true } inner)
            throw new InvalidOperationException($"Subset.GetBatch: the underlying {Dataset.GetType().Name} cannot gather batches; check CanGatherBatches first.");
        var mapped = new int[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            DatasetExtensions.CheckIndex(indices[k], Count, "Subset.GetBatch");
            mapped[k] = _indices[indices[k]];
        }
        return inner.GetBatch(mapped);
    }
}

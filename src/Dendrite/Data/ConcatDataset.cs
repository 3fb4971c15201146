namespace Dendrite.Data;

/// <summary>Several datasets one after another (like <c>torch.utils.data.ConcatDataset</c>).</summary>
public sealed class ConcatDataset<TSample> : IDataset<TSample>, IBatchDataset
{
    private readonly IDataset<TSample>[] _parts;
    private readonly int[] _starts; // _starts[i] = index of the first sample of part i; _starts[^1] = Count

    /// <summary>Concatenates <paramref name="datasets"/> in order.</summary>
    public ConcatDataset(params IDataset<TSample>[] datasets)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        if (datasets.Length == 0)
            throw new ArgumentException("ConcatDataset: at least one dataset is required.");
        _parts = (IDataset<TSample>[])datasets.Clone();
        _starts = new int[_parts.Length + 1];
        for (int i = 0; i < _parts.Length; i++)
            _starts[i + 1] = checked(_starts[i] + (_parts[i] ?? throw new ArgumentNullException(nameof(datasets), $"ConcatDataset: dataset {i} is null.")).Count);
    }

    /// <summary>The concatenated datasets.</summary>
    public IReadOnlyList<IDataset<TSample>> Datasets => _parts;

    /// <inheritdoc/>
    public int Count => _starts[^1];

    /// <inheritdoc/>
    public TSample this[int index]
    {
        get
        {
            DatasetExtensions.CheckIndex(index, Count, "ConcatDataset");
            int p = PartOf(index);
            return _parts[p][index - _starts[p]];
        }
    }

    private int PartOf(int index)
    {
        // The last part whose start is <= index (parts may be empty, so search for the upper bound).
        int lo = 0, hi = _parts.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (_starts[mid] <= index) lo = mid; else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>True when every part gathers batches itself.</summary>
    public bool CanGatherBatches => _parts.All(p => p is IBatchDataset { CanGatherBatches: true });


    /// <summary>Gathers a batch: runs of consecutive indices from the same part are gathered by that part.</summary>
    public Tensor[] GetBatch(ReadOnlySpan<int> indices)
    {
        if (!CanGatherBatches)
            throw new InvalidOperationException("ConcatDataset.GetBatch: not every part can gather batches; check CanGatherBatches first.");
        // Group indices by part, gather each part's rows, then scatter them back in request order.
        var byPart = new List<int>[_parts.Length];
        var slot = new (int Part, int Pos)[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            DatasetExtensions.CheckIndex(indices[k], Count, "ConcatDataset.GetBatch");
            int p = PartOf(indices[k]);
            var list = byPart[p] ??= [];
            slot[k] = (p, list.Count);
            list.Add(indices[k] - _starts[p]);
        }
        var gathered = new Tensor[_parts.Length][];
        for (int p = 0; p < _parts.Length; p++)
            if (byPart[p] is { } list)
                gathered[p] = ((IBatchDataset)_parts[p]).GetBatch(list.ToArray());
        int firstPart = slot.Length > 0 ? slot[0].Part : 0;
        if (slot.Length > 0 && byPart.Count(l => l is not null) == 1)
            return gathered[firstPart];
        if (slot.Length == 0)
            return ((IBatchDataset)_parts[0]).GetBatch([]);
        var fields = gathered[firstPart].Length;
        var result = new Tensor[fields];
        for (int f = 0; f < fields; f++)
        {
            var rows = new Tensor[indices.Length];
            for (int k = 0; k < indices.Length; k++)
                rows[k] = gathered[slot[k].Part][f].Select(0, slot[k].Pos);
            result[f] = Collate.StackTensors(rows);
        }
        return result;
    }
}

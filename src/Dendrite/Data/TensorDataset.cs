using Dendrite.Backends.Cpu;

namespace Dendrite.Data;

/// <summary>
/// A dataset over tensors that share their first dimension (like <c>torch.utils.data.TensorDataset</c>): sample
/// <c>i</c> is the array of row <c>i</c> of each tensor. <see cref="GetBatch"/> copies the selected rows straight into
/// the batch tensors, which makes it the fast path for in-memory training data. Batches are on the tensors' device
/// (for tensors already moved to a GPU, rows are gathered there).
/// </summary>
public sealed class TensorDataset : IDataset<Tensor[]>, IBatchDataset
{
    private readonly Tensor[] _tensors;

    /// <summary>Wraps <paramref name="tensors"/> (detached; non-contiguous tensors are copied once).</summary>
    public TensorDataset(params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0)
            throw new ArgumentException("TensorDataset: at least one tensor is required.");
        int n = -1;
        _tensors = new Tensor[tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            var t = tensors[i] ?? throw new ArgumentNullException(nameof(tensors), $"TensorDataset: tensor {i} is null.");
            if (t.Rank == 0)
                throw new ArgumentException($"TensorDataset: tensor {i} is a scalar; every tensor needs a first (sample) dimension.");
            if (n >= 0 && t.Size(0) != n)
                throw new ArgumentException($"TensorDataset: size mismatch between tensors: tensor 0 has {n} rows but tensor {i} has shape {ShapeUtil.Format(t.ShapeArray)}.");
            n = t.Size(0);
            var d = t.Detach();
            _tensors[i] = d.IsContiguous ? d : d.CopyDense();
        }
        Count = n;
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <summary>The wrapped tensors (one per field, first dimension = <see cref="Count"/>).</summary>
    public IReadOnlyList<Tensor> Tensors => _tensors;

    /// <summary>Always true: rows are gathered directly.</summary>
    public bool CanGatherBatches => true;

    /// <summary>Row <paramref name="index"/> of each tensor (views that share memory with the tensors).</summary>
    public Tensor[] this[int index]
    {
        get
        {
            DatasetExtensions.CheckIndex(index, Count, "TensorDataset");
            var sample = new Tensor[_tensors.Length];
            for (int i = 0; i < _tensors.Length; i++)
                sample[i] = _tensors[i].Select(0, index);
            return sample;
        }
    }

    /// <summary>Rows <paramref name="start"/> .. start+count-1 as a new dataset sharing memory with this one.</summary>
    public TensorDataset Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(start), $"TensorDataset.Slice: rows [{start}, {start + count}) are outside a dataset of {Count} samples.");
        var parts = new Tensor[_tensors.Length];
        for (int i = 0; i < parts.Length; i++)
            parts[i] = _tensors[i].Narrow(0, start, count);
        return new TensorDataset(parts);
    }

    /// <inheritdoc/>
    public Tensor[] GetBatch(ReadOnlySpan<int> indices)
    {
        foreach (int idx in indices)
            DatasetExtensions.CheckIndex(idx, Count, "TensorDataset.GetBatch");
        var batch = new Tensor[_tensors.Length];
        for (int i = 0; i < _tensors.Length; i++)
            batch[i] = GatherRows(_tensors[i], indices);
        return batch;
    }

    // [N, ...rest] -> [indices.Length, ...rest] on src's device: one block copy per row in host memory, or one
    // index_select on another device.
    internal static Tensor GatherRows(Tensor src, ReadOnlySpan<int> indices)
    {
        if (!src.Device.IsCpu)
        {
            var index = new long[indices.Length];
            for (int k = 0; k < index.Length; k++)
                index[k] = indices[k];
            return src.IndexSelect(0, new Tensor(src.Backend.FromHost(index), [index.Length]));
        }
        var shape = (int[])src.ShapeArray.Clone();
        shape[0] = indices.Length;
        var dst = Tensor.AllocateHost(shape, src.DType, false);
        int row = src.Size(0) == 0 ? 0 : src.Numel / src.Size(0);
        CpuRows.Gather(src.Raw, indices, row, dst.Raw);
        return dst;
    }
}

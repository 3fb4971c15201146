namespace Dendrite.Backends;

internal partial interface IBackend
{
    /// <summary>
    /// y[i…] = x[… index[i…] at <paramref name="dim"/> …] (torch.gather): x any layout, index dense Int64 with y's
    /// shape, indices already checked.
    /// </summary>
    void Gather(StorageView x, StorageView index, int dim, StorageView y);

    /// <summary>gx[… index[i…] at dim …] += g[i…]: g and index dense of one shape, gx dense (already zeroed) with the input's shape.</summary>
    void ScatterAdd(StorageView g, StorageView index, int dim, StorageView gx);

    /// <summary>y[o, j, i] = src[o, index[j], i] for dense src [outer, size, inner] and y [outer, index.Numel, inner].</summary>
    void IndexSelect(StorageView src, int outer, int size, int inner, StorageView index, StorageView y);

    /// <summary>gx[o, index[j], i] += g[o, j, i] for dense g [outer, index.Numel, inner] and gx [outer, size, inner] (already zeroed).</summary>
    void IndexAdd(StorageView g, int outer, int size, int inner, StorageView index, StorageView gx);

    /// <summary>
    /// The position and value of the first element of the Int64 <paramref name="index"/> (any layout) outside
    /// [0, <paramref name="size"/>), or null when all are in range (reads back to the host).
    /// </summary>
    (long Position, long Value)? FindOutOfRange(StorageView index, long size);
}

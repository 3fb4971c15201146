namespace Dendrite.Backends;

internal partial interface IBackend
{
    /// <summary>
    /// Sorts every line of dense <paramref name="x"/> [outer, size, inner] along its middle axis (torch.sort): line
    /// (o, i) of <paramref name="values"/> (x's dtype) holds x[o, ·, i] in order and line (o, i) of
    /// <paramref name="indices"/> (Int64) the positions they came from; both dense with x's shape. The order is
    /// stable (equal keys keep their input order) and NaN counts as larger than every number, so ascending puts NaN
    /// last and descending first, as PyTorch does; −0 and +0 are equal.
    /// </summary>
    void Sort(StorageView x, int outer, int size, int inner, bool descending, StorageView values, StorageView indices);
}

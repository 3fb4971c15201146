namespace Dendrite.Ops;

/// <summary>
/// The tensor indexer (<c>x[...]</c>) with PyTorch's semantics. Integers select and ranges narrow first (views);
/// the integer arrays (advanced indices) then broadcast together to a shape B and pick entries: with k index arrays
/// on dims d₁ &lt; … &lt; d_k of sizes s₁ … s_k, the picked dims are merged into one of size Π s and read at the
/// linear index Σ idx_m·Π_{m' &gt; m} s_m' by index_select; B then replaces the merged dim. When the dims are adjacent
/// B stays where they were, otherwise they are moved to the front first. Everything is composed of differentiable
/// tensor ops (permute, reshape, index_select), so it runs on every device and repeated entries accumulate gradients.
/// </summary>
internal static class TensorIndexing
{
    private const string Op = "Index";

    public static Tensor Get(Tensor x, TensorIndex[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var t = x;
        int dim = 0;
        List<Advanced>? advanced = null;
        for (int k = 0; k < indices.Length; k++)
        {
            var index = indices[k];
            if (dim >= t.Rank)
                throw new IndexOutOfRangeException($"{Op}: too many indices ({indices.Length}) for a tensor of shape {ShapeUtil.Format(x.ShapeArray)}.");
            int size = t.ShapeArray[dim];
            if (index.IsRange)
            {
                var (start, length) = Tensor.GetRange(index.Range, size);
                t = t.Narrow(dim, start, length);
                dim++;
            }
            else if (index.Indices is { } entries)
            {
                (advanced ??= []).Add(new Advanced(dim, k, entries));
                dim++;
            }
            else
            {
                int i = index.Index.IsFromEnd ? size - index.Index.Value : index.Index.Value;
                if (i < 0 || i >= size)
                    throw new IndexOutOfRangeException($"{Op}: index {(index.Index.IsFromEnd ? "^" : "")}{index.Index.Value} is out of bounds for dimension {k} with size {size} (shape {ShapeUtil.Format(x.ShapeArray)}).");
                t = t.Select(dim, i);
            }
        }
        return advanced is null ? t : Pick(x, t, advanced);
    }

    // An index array: the dim it indexes in the narrowed tensor, its position in the indexer (the input's dim), its entries.
    private readonly record struct Advanced(int Dim, int SourceDim, Tensor Entries);

    private static Tensor Pick(Tensor x, Tensor t, List<Advanced> advanced)
    {
        int k = advanced.Count;
        var entries = new Tensor[k];
        int[] b = [];
        for (int m = 0; m < k; m++)
        {
            var a = advanced[m];
            entries[m] = Checked(x, t, a);
            b = m == 0 ? entries[m].ShapeArray : ShapeUtil.Broadcast(b, entries[m].ShapeArray, Op);
        }

        // Adjacent index dims stay in place; separated ones move to the front (in order).
        int first = advanced[0].Dim;
        bool adjacent = advanced[k - 1].Dim - first == k - 1;
        var sizes = new int[k];
        for (int m = 0; m < k; m++)
            sizes[m] = t.ShapeArray[advanced[m].Dim];
        int p = first;
        if (!adjacent)
        {
            var perm = new int[t.Rank];
            var isIndexed = new bool[t.Rank];
            for (int m = 0; m < k; m++)
            {
                perm[m] = advanced[m].Dim;
                isIndexed[advanced[m].Dim] = true;
            }
            for (int d = 0, j = k; d < t.Rank; d++)
                if (!isIndexed[d])
                    perm[j++] = d;
            t = t.Permute(perm);
            p = 0;
        }

        // t: [before…, s₁ … s_k, after…] → [before…, Π s, after…], read at the linear index (B flattened).
        var shape = t.ShapeArray;
        int merged = 1;
        foreach (int s in sizes)
            merged *= s;
        var mergedShape = new int[shape.Length - k + 1];
        for (int d = 0; d < p; d++) mergedShape[d] = shape[d];
        mergedShape[p] = merged;
        for (int d = p + k; d < shape.Length; d++) mergedShape[d - k + 1] = shape[d];
        var linear = Linear(entries, sizes);
        var picked = t.Reshape(mergedShape).IndexSelect(p, linear.Reshape(linear.Numel));

        // [before…, N, after…] → [before…, B…, after…]
        var outShape = new int[shape.Length - k + b.Length];
        for (int d = 0; d < p; d++) outShape[d] = shape[d];
        for (int d = 0; d < b.Length; d++) outShape[p + d] = b[d];
        for (int d = p + k; d < shape.Length; d++) outShape[d - k + b.Length] = shape[d];
        return picked.Reshape(outShape);
    }

    // Σ idx_m · Π_{m' > m} s_m', broadcast to B (Int64). Computed in Float64, exact for any element count of a tensor.
    private static Tensor Linear(Tensor[] entries, int[] sizes)
    {
        if (entries.Length == 1)
            return entries[0];
        Tensor? sum = null;
        double stride = 1;
        for (int m = entries.Length - 1; m >= 0; m--)
        {
            var term = entries[m].To(DType.Float64).Mul(stride);
            sum = sum is null ? term : sum.Add(term);
            stride *= sizes[m];
        }
        return sum!.To(DType.Int64);     // the terms broadcast to B
    }

    // The entries of one index array on t's device, Int64, negative ones counted from the end; out of range throws.
    private static Tensor Checked(Tensor x, Tensor t, Advanced a)
    {
        var e = a.Entries.Detach();
        if (e.DType != DType.Int64)
            throw new ArgumentException($"{Op}: tensors used as indices must be Int64 (an int[], long[] or Int64 tensor), but the index for dimension {a.SourceDim} is {e.DType}{(e.DType == DType.Bool ? "; boolean masks are not supported, use Tensor.Where or MaskedFill" : "")}.");
        if (!ReferenceEquals(e.Backend, t.Backend))
        {
            if (!e.Device.IsCpu)
                throw new ArgumentException($"{Op}: the index for dimension {a.SourceDim} is on {e.Device} but the tensor is on {t.Device}; indices must be on the tensor's device or the CPU.");
            e = e.To(t.Device);
        }
        int size = t.ShapeArray[a.Dim];
        if (e.Backend.FindOutOfRange(e.Raw, size) is null)
            return e;
        // Negative entries count from the end: e + size·(e < 0).
        using var _ = Autograd.Autograd.NoGrad();
        var f = e.To(DType.Float64);
        var wrapped = f.Add(f.Lt(0).To(DType.Float64).Mul(size)).To(DType.Int64);
        if (wrapped.Backend.FindOutOfRange(wrapped.Raw, size) is var (position, value))
        {
            long original = value < 0 ? value - size : value;
            throw new IndexOutOfRangeException($"{Op}: index {original} is out of bounds for dimension {a.SourceDim} with size {size} (at position {position} of the index; tensor shape {ShapeUtil.Format(x.ShapeArray)}).");
        }
        return wrapped;
    }
}

namespace Dendrite.Ops;

/// <summary>Shared plumbing for reductions: lays the input out as dense [outer, r, inner] and shapes the result.</summary>
internal static class Reduce
{
    /// <summary>
    /// The dense [outer, r, inner] view of <paramref name="x"/> for a reduction over sorted <paramref name="dims"/>:
    /// the input itself when the reduced dims are adjacent (copied only if not contiguous), else a copy with the
    /// reduced dims moved last (inner = 1). Also the output shape and the keep-dim shape.
    /// </summary>
    public static ReduceLayout Layout(Tensor x, int[] dims, bool keepDim)
    {
        int rank = x.Rank;
        var shape = x.ShapeArray;
        var kept = (int[])shape.Clone();
        var reduced = new bool[rank];
        foreach (int d in dims)
        {
            kept[d] = 1;
            reduced[d] = true;
        }
        var outShape = keepDim ? (int[])kept.Clone() : DropDims(shape, reduced);

        Tensor src;
        int outer = 1, r = 1, inner = 1;
        bool contiguousRun = dims.Length == 0 || dims[^1] - dims[0] == dims.Length - 1;
        if (contiguousRun)
        {
            src = x.Dense();
            int first = dims.Length == 0 ? rank : dims[0];
            int last = dims.Length == 0 ? rank - 1 : dims[^1];
            for (int i = 0; i < first; i++) outer *= shape[i];
            for (int i = first; i <= last && i < rank; i++) r *= shape[i];
            for (int i = last + 1; i < rank; i++) inner *= shape[i];
        }
        else
        {
            // Move the reduced dims last (keeping order), then reduce a dense [outer, r, 1] copy.
            var perm = new int[rank];
            int p = 0;
            for (int i = 0; i < rank; i++) if (!reduced[i]) { perm[p++] = i; outer *= shape[i]; }
            for (int i = 0; i < rank; i++) if (reduced[i]) { perm[p++] = i; r *= shape[i]; }
            src = x.Detach().Permute(perm).CopyDense();
        }
        return new ReduceLayout(src, outer, r, inner, outShape, kept);
    }

    /// <summary>Sizes (outer, r, inner) of a contiguous tensor of <paramref name="shape"/> seen as [outer, shape[dim], inner].</summary>
    public static (int Outer, int R, int Inner) Split(int[] shape, int dim)
    {
        if (shape.Length == 0)
            return (1, 1, 1);
        int outer = 1, inner = 1;
        for (int i = 0; i < dim; i++) outer *= shape[i];
        for (int i = dim + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[dim], inner);
    }

    /// <summary><paramref name="shape"/> with <paramref name="dim"/> set to 1 (keepDim) or removed.</summary>
    public static int[] ReducedShape(int[] shape, int dim, bool keepDim)
    {
        if (shape.Length == 0)
            return [];
        if (keepDim)
        {
            var kept = (int[])shape.Clone();
            kept[dim] = 1;
            return kept;
        }
        var result = new int[shape.Length - 1];
        for (int i = 0, j = 0; i < shape.Length; i++)
            if (i != dim) result[j++] = shape[i];
        return result;
    }

    public static int[] DropDims(int[] shape, bool[] drop)
    {
        int n = 0;
        for (int i = 0; i < shape.Length; i++) if (!drop[i]) n++;
        var result = new int[n];
        for (int i = 0, j = 0; i < shape.Length; i++) if (!drop[i]) result[j++] = shape[i];
        return result;
    }
}

/// <summary>A reduction's dense source laid out as [outer, r, inner], with the output and keep-dim shapes.</summary>
internal readonly record struct ReduceLayout(Tensor Src, int Outer, int R, int Inner, int[] OutShape, int[] KeptShape);

namespace Dendrite.Ops;

/// <summary>Shared plumbing for reductions: lays the input out as dense [outer, r, inner] and shapes the result.</summary>
internal static class Reduce
{
    public delegate void Kernel(Tensor src, int outer, int r, int inner, Tensor dst, int count);

    /// <summary>
    /// Reduces <paramref name="x"/> over sorted dims <paramref name="dims"/>. Returns the result, the keep-dim shape
    /// (reduced dims set to 1) and the number of elements reduced per output.
    /// </summary>
    public static (Tensor Result, int[] KeptShape, int Count) Run(Tensor x, int[] dims, bool keepDim, string op, Kernel kernel, DType? outDType = null)
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
        var outShape = keepDim ? kept : DropDims(shape, reduced);
        var dtype = outDType ?? (x.DType.IsFloatingPoint() ? x.DType : DType.Int64);

        Tensor src;
        int outer = 1, r = 1, inner = 1;
        bool contiguousRun = dims.Length == 0 || dims[^1] - dims[0] == dims.Length - 1;
        if (contiguousRun)
        {
            src = x.IsContiguous ? x : x.CopyDense();
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
        if (!src.DType.IsFloatingPoint() && src.DType != DType.Int64)
            src = src.To(DType.Int64);
        var y = Tensor.Allocate(outShape, dtype, false);
        kernel(src, outer, r, inner, y, r);
        return (y, kept, r);
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

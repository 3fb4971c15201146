using System.Numerics;

namespace Dendrite.Backends.Cpu;

/// <summary>An elementwise binary function with vectorized span forms (the scalar form serves strided loops).</summary>
internal interface IBinaryOp
{
    static abstract T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>;

    static abstract void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;

    static abstract void RunScalarB<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;

    static abstract void RunScalarA<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>Runs an <see cref="IBinaryOp"/> over two broadcast strided operands into a dense output.</summary>
internal static class BinaryKernel
{
    /// <summary>
    /// y[i] = op(a[i], b[i]) over <paramref name="shape"/>, where a and b are given by arrays, offsets and
    /// broadcast strides (0 on expanded dims). Adjacent dims are merged first so rows are as long as possible.
    /// </summary>
    public static void Run<TOp, T>(int[] shape, T[] a, int aOffset, int[] aStrides, T[] b, int bOffset, int[] bStrides, Span<T> y)
        where TOp : IBinaryOp where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = y.Length;
        if (n == 0)
            return;
        Span<int> dims = stackalloc int[Math.Max(shape.Length, 1)];
        Span<int> sa = stackalloc int[dims.Length];
        Span<int> sb = stackalloc int[dims.Length];
        int rank = Coalesce(shape, aStrides, bStrides, dims, sa, sb);
        if (rank == 0)
        {
            y[0] = TOp.Apply(a[aOffset], b[bOffset]);
            return;
        }

        int inner = dims[rank - 1];
        int ia = sa[rank - 1], ib = sb[rank - 1];
        int rows = n / inner;
        Span<int> idx = stackalloc int[rank];
        int oa = aOffset, ob = bOffset;
        for (int r = 0, oy = 0; r < rows; r++, oy += inner)
        {
            var dst = y.Slice(oy, inner);
            if (ia == 1 && ib == 1)
                TOp.Run<T>(a.AsSpan(oa, inner), b.AsSpan(ob, inner), dst);
            else if (ia == 1 && ib == 0)
                TOp.RunScalarB(a.AsSpan(oa, inner), b[ob], dst);
            else if (ia == 0 && ib == 1)
                TOp.RunScalarA(a[oa], b.AsSpan(ob, inner), dst);
            else
                for (int j = 0, pa = oa, pb = ob; j < inner; j++, pa += ia, pb += ib)
                    dst[j] = TOp.Apply(a[pa], b[pb]);
            for (int k = rank - 2; k >= 0; k--)
            {
                oa += sa[k];
                ob += sb[k];
                if (++idx[k] < dims[k])
                    break;
                oa -= sa[k] * dims[k];
                ob -= sb[k] * dims[k];
                idx[k] = 0;
            }
        }
    }

    /// <summary>Drops size-1 dims and merges neighbours that are contiguous in both operands; returns the new rank.</summary>
    internal static int Coalesce(int[] shape, int[] aStrides, int[] bStrides, Span<int> dims, Span<int> sa, Span<int> sb)
    {
        int rank = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1)
                continue;
            if (rank > 0)
            {
                int p = rank - 1;
                if (sa[p] == aStrides[i] * shape[i] && sb[p] == bStrides[i] * shape[i])
                {
                    dims[p] *= shape[i];
                    sa[p] = aStrides[i];
                    sb[p] = bStrides[i];
                    continue;
                }
            }
            dims[rank] = shape[i];
            sa[rank] = aStrides[i];
            sb[rank] = bStrides[i];
            rank++;
        }
        return rank;
    }
}

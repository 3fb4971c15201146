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
        var rows = new BroadcastPairRows(shape, aOffset, aStrides, bOffset, bStrides, stackalloc int[BroadcastPairRows.ScratchLength(shape.Length)]);
        if (rows.Rank == 0)
        {
            y[0] = TOp.Apply(a[aOffset], b[bOffset]);
            return;
        }

        int inner = rows.Inner;
        int ia = rows.StrideA, ib = rows.StrideB;
        int rowCount = n / inner;
        for (int r = 0, oy = 0; r < rowCount; r++, oy += inner)
        {
            int oa = rows.A, ob = rows.B;
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
            rows.Next();
        }
    }
}

using System.Numerics;

namespace Dendrite.Backends.Cpu;

/// <summary>An elementwise comparison giving a bool (IEEE semantics: every comparison with NaN is false except !=).</summary>
internal interface ICompareOp
{
    static abstract bool Test<T>(T a, T b) where T : unmanaged, INumber<T>;
}

internal readonly struct EqK : ICompareOp
{
    public static bool Test<T>(T a, T b) where T : unmanaged, INumber<T> => a == b;
}

internal readonly struct NeK : ICompareOp
{
    public static bool Test<T>(T a, T b) where T : unmanaged, INumber<T> => a != b;
}

internal readonly struct GtK : ICompareOp
{
    public static bool Test<T>(T a, T b) where T : unmanaged, INumber<T> => a > b;
}

internal readonly struct LtK : ICompareOp
{
    public static bool Test<T>(T a, T b) where T : unmanaged, INumber<T> => a < b;
}

internal readonly struct GeK : ICompareOp
{
    public static bool Test<T>(T a, T b) where T : unmanaged, INumber<T> => a >= b;
}

internal readonly struct LeK : ICompareOp
{
    public static bool Test<T>(T a, T b) where T : unmanaged, INumber<T> => a <= b;
}

/// <summary>Broadcasting comparison and selection loops over strided operands into dense outputs.</summary>
internal static class CompareKernel
{
    /// <summary>y[i] = a[i] op b[i] over <paramref name="shape"/> (a and b given with broadcast strides, 0 on expanded dims).</summary>
    public static void Compare<TOp, T>(int[] shape, T[] a, int aOffset, int[] aStrides, T[] b, int bOffset, int[] bStrides, Span<bool> y)
        where TOp : ICompareOp where T : unmanaged, INumber<T>
    {
        int n = y.Length;
        if (n == 0)
            return;
        var rows = new BroadcastPairRows(shape, aOffset, aStrides, bOffset, bStrides, stackalloc int[BroadcastPairRows.ScratchLength(shape.Length)]);
        if (rows.Rank == 0)
        {
            y[0] = TOp.Test(a[aOffset], b[bOffset]);
            return;
        }
        int inner = rows.Inner;
        int ia = rows.StrideA, ib = rows.StrideB;
        int rowCount = n / inner;
        for (int r = 0, oy = 0; r < rowCount; r++, oy += inner)
        {
            int oa = rows.A, ob = rows.B;
            var dst = y.Slice(oy, inner);
            if (ia == 1 && ib == 0)
            {
                T bv = b[ob];
                var src = a.AsSpan(oa, inner);
                for (int j = 0; j < dst.Length; j++)
                    dst[j] = TOp.Test(src[j], bv);
            }
            else if (ia == 1 && ib == 1)
            {
                var sa1 = a.AsSpan(oa, inner);
                var sb1 = b.AsSpan(ob, inner);
                for (int j = 0; j < dst.Length; j++)
                    dst[j] = TOp.Test(sa1[j], sb1[j]);
            }
            else
            {
                for (int j = 0, pa = oa, pb = ob; j < inner; j++, pa += ia, pb += ib)
                    dst[j] = TOp.Test(a[pa], b[pb]);
            }
            rows.Next();
        }
    }

    /// <summary>
    /// dst[i] = c[i] ? x[i] : y[i] over <paramref name="shape"/>, each operand given by array, offset and broadcast
    /// strides (0 on expanded dims).
    /// </summary>
    public static void Where<T>(int[] shape, bool[] c, int cOffset, int[] cStrides, T[] x, int xOffset, int[] xStrides, T[] y, int yOffset, int[] yStrides, Span<T> dst)
        where T : unmanaged
    {
        int n = dst.Length;
        if (n == 0)
            return;
        int rank = shape.Length;
        if (rank == 0)
        {
            dst[0] = c[cOffset] ? x[xOffset] : y[yOffset];
            return;
        }
        int inner = shape[rank - 1];
        int ic = cStrides[rank - 1], ix = xStrides[rank - 1], iy = yStrides[rank - 1];
        int rows = n / inner;
        Span<int> idx = stackalloc int[rank];
        int oc = cOffset, ox = xOffset, oy = yOffset;
        for (int r = 0, od = 0; r < rows; r++, od += inner)
        {
            for (int j = 0, pc = oc, px = ox, py = oy; j < inner; j++, pc += ic, px += ix, py += iy)
                dst[od + j] = c[pc] ? x[px] : y[py];
            for (int k = rank - 2; k >= 0; k--)
            {
                oc += cStrides[k];
                ox += xStrides[k];
                oy += yStrides[k];
                if (++idx[k] < shape[k])
                    break;
                oc -= cStrides[k] * shape[k];
                ox -= xStrides[k] * shape[k];
                oy -= yStrides[k] * shape[k];
                idx[k] = 0;
            }
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// The weight gradient of <see cref="DirectConv2d"/>'s convolution, accumulated image by image without a column
/// matrix: <c>dW[o, t] = Σ_n Σ_q gw[n, o, q] · xp[n, off[t] + q]</c>.
/// </summary>
/// <remarks>
/// The output gradient is laid out wide (<c>gw[o, r·Wp + s]</c>, zero for the dropped columns s ≥ OutW and after
/// the end), so every tap is a dot product of two contiguous runs. The register tile is 8 taps × 2 output
/// channels: per vector of q, 8 + 2 loads feed 16 FMAs into per-lane accumulators, which are summed across lanes
/// once at the end (<see cref="Reduce"/>).
/// </remarks>
internal static class DirectConv2dWeightGrad
{
    private const int Lanes = DirectConv2d.Lanes;

    /// <summary>Taps are processed 8 at a time; the tap count is padded to a multiple of this.</summary>
    internal const int TapBlock = 8;

    /// <summary>
    /// Copies one image's output gradient <c>[o, outH, outW]</c> into the wide buffer <paramref name="gw"/>
    /// (rows of <paramref name="ldg"/> floats, row r of channel oc at <c>oc·ldg + r·wp</c>); the other elements
    /// of <paramref name="gw"/> must be zero and are never written.
    /// </summary>
    internal static void CopyGradWide(ReadOnlySpan<float> gy, int o, int outH, int outW, int wp, int ldg, Span<float> gw)
    {
        for (int oc = 0; oc < o; oc++)
            for (int r = 0; r < outH; r++)
                gy.Slice((oc * outH + r) * outW, outW).CopyTo(gw.Slice(oc * ldg + r * wp, outW));
    }

    /// <summary>
    /// <c>acc[(oc·tpad + t)·16 + lane] += Σ_v xp[off[t] + 16v + lane] · gw[oc·ldg + 16v + lane]</c> for every tap
    /// t &lt; off.Length (a multiple of <see cref="TapBlock"/>) and channel oc &lt; opad (even).
    /// </summary>
    internal static void AccumulateImage(ReadOnlySpan<float> xp, ReadOnlySpan<int> off, ReadOnlySpan<float> gw, int opad,
        int ldg, Span<float> acc)
    {
        int tpad = off.Length, nv = ldg / Lanes;
        ref float x0 = ref MemoryMarshal.GetReference(xp);
        ref float g0 = ref MemoryMarshal.GetReference(gw);
        ref float a0 = ref MemoryMarshal.GetReference(acc);
        ref int offs = ref MemoryMarshal.GetReference(off);
        for (int tb = 0; tb < tpad; tb += TapBlock)
            for (int ob = 0; ob < opad; ob += 2)
                Tile(ref x0, ref Unsafe.Add(ref offs, tb), ref Unsafe.Add(ref g0, ob * ldg), ldg, nv,
                    ref Unsafe.Add(ref a0, (ob * tpad + tb) * Lanes), tpad * Lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(ref float x, ref int offs, ref float g, int ldg, int nv, ref float acc, int accRow)
    {
        int o0 = offs, o1 = Unsafe.Add(ref offs, 1), o2 = Unsafe.Add(ref offs, 2), o3 = Unsafe.Add(ref offs, 3);
        int o4 = Unsafe.Add(ref offs, 4), o5 = Unsafe.Add(ref offs, 5), o6 = Unsafe.Add(ref offs, 6), o7 = Unsafe.Add(ref offs, 7);
        Vector512<float> c00 = default, c10 = default, c20 = default, c30 = default, c40 = default, c50 = default, c60 = default, c70 = default;
        Vector512<float> c01 = default, c11 = default, c21 = default, c31 = default, c41 = default, c51 = default, c61 = default, c71 = default;
        ref float g1 = ref Unsafe.Add(ref g, ldg);
        for (int v = 0, p = 0; v < nv; v++, p += Lanes)
        {
            Vector512<float> ga = Vector512.LoadUnsafe(ref g, (nuint)p), gb = Vector512.LoadUnsafe(ref g1, (nuint)p);
            Vector512<float> xv = Vector512.LoadUnsafe(ref x, (nuint)(o0 + p));
            c00 = Vector512.FusedMultiplyAdd(xv, ga, c00); c01 = Vector512.FusedMultiplyAdd(xv, gb, c01);
            xv = Vector512.LoadUnsafe(ref x, (nuint)(o1 + p));
            c10 = Vector512.FusedMultiplyAdd(xv, ga, c10); c11 = Vector512.FusedMultiplyAdd(xv, gb, c11);
            xv = Vector512.LoadUnsafe(ref x, (nuint)(o2 + p));
            c20 = Vector512.FusedMultiplyAdd(xv, ga, c20); c21 = Vector512.FusedMultiplyAdd(xv, gb, c21);
            xv = Vector512.LoadUnsafe(ref x, (nuint)(o3 + p));
            c30 = Vector512.FusedMultiplyAdd(xv, ga, c30); c31 = Vector512.FusedMultiplyAdd(xv, gb, c31);
            xv = Vector512.LoadUnsafe(ref x, (nuint)(o4 + p));
            c40 = Vector512.FusedMultiplyAdd(xv, ga, c40); c41 = Vector512.FusedMultiplyAdd(xv, gb, c41);
            xv = Vector512.LoadUnsafe(ref x, (nuint)(o5 + p));
            c50 = Vector512.FusedMultiplyAdd(xv, ga, c50); c51 = Vector512.FusedMultiplyAdd(xv, gb, c51);
            xv = Vector512.LoadUnsafe(ref x, (nuint)(o6 + p));
            c60 = Vector512.FusedMultiplyAdd(xv, ga, c60); c61 = Vector512.FusedMultiplyAdd(xv, gb, c61);
            xv = Vector512.LoadUnsafe(ref x, (nuint)(o7 + p));
            c70 = Vector512.FusedMultiplyAdd(xv, ga, c70); c71 = Vector512.FusedMultiplyAdd(xv, gb, c71);
        }
        AddTo(ref acc, 0, c00); AddTo(ref acc, 1, c10); AddTo(ref acc, 2, c20); AddTo(ref acc, 3, c30);
        AddTo(ref acc, 4, c40); AddTo(ref acc, 5, c50); AddTo(ref acc, 6, c60); AddTo(ref acc, 7, c70);
        ref float acc1 = ref Unsafe.Add(ref acc, accRow);
        AddTo(ref acc1, 0, c01); AddTo(ref acc1, 1, c11); AddTo(ref acc1, 2, c21); AddTo(ref acc1, 3, c31);
        AddTo(ref acc1, 4, c41); AddTo(ref acc1, 5, c51); AddTo(ref acc1, 6, c61); AddTo(ref acc1, 7, c71);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(ref float acc, int tap, Vector512<float> v)
    {
        nuint at = (nuint)(tap * Lanes);
        (Vector512.LoadUnsafe(ref acc, at) + v).StoreUnsafe(ref acc, at);
    }

    /// <summary><c>dw[oc·taps + t] += Σ_lane acc[(oc·tpad + t)·16 + lane]</c> for oc &lt; o, t &lt; taps.</summary>
    internal static void Reduce(ReadOnlySpan<float> acc, int o, int taps, int tpad, Span<float> dw)
    {
        for (int oc = 0; oc < o; oc++)
            for (int t = 0; t < taps; t++)
                dw[oc * taps + t] += Vector512.Sum(Vector512.Create(acc.Slice((oc * tpad + t) * Lanes, Lanes)));
    }
}

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
/// channels (4 × 4 for blocks of 4 channels): per vector of q, 8 + 2 (4 + 4) loads feed 16 FMAs into per-lane accumulators, which are summed across lanes
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
        if (gy.Length < o * outH * outW || gw.Length < o * ldg || ldg < outH * wp)
            throw new ArgumentException($"DirectConv2dWeightGrad.CopyGradWide: buffers of {gy.Length} and {gw.Length} floats do not fit {o}x{outH}x{outW} in rows of {ldg}.");
        ref float src = ref MemoryMarshal.GetReference(gy);
        ref float dst = ref MemoryMarshal.GetReference(gw);
        for (int oc = 0; oc < o; oc++)
            for (int r = 0; r < outH; r++)
                DirectConv2d.CopyRow(ref Unsafe.Add(ref src, (oc * outH + r) * outW), ref Unsafe.Add(ref dst, oc * ldg + r * wp), outW);
    }

    /// <summary>
    /// <c>acc[(oc·tpad + t)·16 + lane] += Σ_i Σ_v xp[i·xStride + off[t] + 16v + lane] · gw[i·gStride + oc·ldg + 16v + lane]</c>
    /// for every tap t &lt; off.Length (a multiple of <see cref="TapBlock"/>), channel oc &lt; opad (even) and image
    /// i &lt; images: a group of images shares each tile's pass, so the accumulators are read and written once per group.
    /// </summary>
    internal static void AccumulateImages(ReadOnlySpan<float> xp, int xStride, ReadOnlySpan<int> off, ReadOnlySpan<float> gw,
        int gStride, int images, int opad, int ldg, Span<float> acc)
    {
        int tpad = off.Length, nv = ldg / Lanes;
        if (images < 1 || xp.Length < (images - 1) * xStride || gw.Length < (images - 1) * gStride + opad * ldg || acc.Length < opad * tpad * Lanes)
            throw new ArgumentException($"DirectConv2dWeightGrad.AccumulateImages: buffers too short for {images} images.");
        ref float x0 = ref MemoryMarshal.GetReference(xp);
        ref float g0 = ref MemoryMarshal.GetReference(gw);
        ref float a0 = ref MemoryMarshal.GetReference(acc);
        ref int offs = ref MemoryMarshal.GetReference(off);
        for (int tb = 0; tb < tpad; tb += TapBlock)
        {
            int ob = 0;
            for (; ob + 4 <= opad; ob += 4)
                for (int half = 0; half < TapBlock; half += 4)
                    Tile4x4(ref x0, ref Unsafe.Add(ref offs, tb + half), ref Unsafe.Add(ref g0, ob * ldg), ldg, nv,
                        ref Unsafe.Add(ref a0, (ob * tpad + tb + half) * Lanes), tpad * Lanes, images, xStride, gStride);
            if (ob < opad)
                Tile(ref x0, ref Unsafe.Add(ref offs, tb), ref Unsafe.Add(ref g0, ob * ldg), ldg, nv,
                    ref Unsafe.Add(ref a0, (ob * tpad + tb) * Lanes), tpad * Lanes, images, xStride, gStride);
        }
    }

    // 4 taps × 4 channels: 8 loads (4 of them unaligned) per 16 FMAs, fewer than the 8 × 2 tile's 10.
    private static void Tile4x4(ref float x, ref int offs, ref float g, int ldg, int nv, ref float acc, int accRow, int images, int xStride, int gStride)
    {
        nuint o0 = (nuint)offs, o1 = (nuint)Unsafe.Add(ref offs, 1), o2 = (nuint)Unsafe.Add(ref offs, 2), o3 = (nuint)Unsafe.Add(ref offs, 3);
        nuint l1 = (nuint)ldg, l2 = 2 * l1, l3 = 3 * l1;
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
        for (int im = 0; im < images; im++)
        {
            ref float xv = ref Unsafe.Add(ref x, im * xStride);
            ref float gv = ref Unsafe.Add(ref g, im * gStride);
            for (int v = 0; v < nv; v++)
            {
                Vector512<float> g0 = Vector512.LoadUnsafe(ref gv), g1 = Vector512.LoadUnsafe(ref gv, l1);
                Vector512<float> g2 = Vector512.LoadUnsafe(ref gv, l2), g3 = Vector512.LoadUnsafe(ref gv, l3);
                Vector512<float> xa = Vector512.LoadUnsafe(ref xv, o0);
                c00 = Vector512.FusedMultiplyAdd(xa, g0, c00); c01 = Vector512.FusedMultiplyAdd(xa, g1, c01);
                c02 = Vector512.FusedMultiplyAdd(xa, g2, c02); c03 = Vector512.FusedMultiplyAdd(xa, g3, c03);
                xa = Vector512.LoadUnsafe(ref xv, o1);
                c10 = Vector512.FusedMultiplyAdd(xa, g0, c10); c11 = Vector512.FusedMultiplyAdd(xa, g1, c11);
                c12 = Vector512.FusedMultiplyAdd(xa, g2, c12); c13 = Vector512.FusedMultiplyAdd(xa, g3, c13);
                xa = Vector512.LoadUnsafe(ref xv, o2);
                c20 = Vector512.FusedMultiplyAdd(xa, g0, c20); c21 = Vector512.FusedMultiplyAdd(xa, g1, c21);
                c22 = Vector512.FusedMultiplyAdd(xa, g2, c22); c23 = Vector512.FusedMultiplyAdd(xa, g3, c23);
                xa = Vector512.LoadUnsafe(ref xv, o3);
                c30 = Vector512.FusedMultiplyAdd(xa, g0, c30); c31 = Vector512.FusedMultiplyAdd(xa, g1, c31);
                c32 = Vector512.FusedMultiplyAdd(xa, g2, c32); c33 = Vector512.FusedMultiplyAdd(xa, g3, c33);
                xv = ref Unsafe.Add(ref xv, Lanes);
                gv = ref Unsafe.Add(ref gv, Lanes);
            }
        }
        // acc rows are channels (accRow apart), columns taps (Lanes apart).
        AddTo(ref acc, 0, c00); AddTo(ref acc, 1, c10); AddTo(ref acc, 2, c20); AddTo(ref acc, 3, c30);
        ref float r1 = ref Unsafe.Add(ref acc, accRow);
        AddTo(ref r1, 0, c01); AddTo(ref r1, 1, c11); AddTo(ref r1, 2, c21); AddTo(ref r1, 3, c31);
        ref float r2 = ref Unsafe.Add(ref acc, 2 * accRow);
        AddTo(ref r2, 0, c02); AddTo(ref r2, 1, c12); AddTo(ref r2, 2, c22); AddTo(ref r2, 3, c32);
        ref float r3 = ref Unsafe.Add(ref acc, 3 * accRow);
        AddTo(ref r3, 0, c03); AddTo(ref r3, 1, c13); AddTo(ref r3, 2, c23); AddTo(ref r3, 3, c33);
    }

    private static void Tile(ref float x, ref int offs, ref float g, int ldg, int nv, ref float acc, int accRow, int images, int xStride, int gStride)
    {
        // Tap offsets as native indices: each load is then [pointer + 4·offset], with no per-load arithmetic.
        nuint o0 = (nuint)offs, o1 = (nuint)Unsafe.Add(ref offs, 1), o2 = (nuint)Unsafe.Add(ref offs, 2), o3 = (nuint)Unsafe.Add(ref offs, 3);
        nuint o4 = (nuint)Unsafe.Add(ref offs, 4), o5 = (nuint)Unsafe.Add(ref offs, 5), o6 = (nuint)Unsafe.Add(ref offs, 6), o7 = (nuint)Unsafe.Add(ref offs, 7);
        Vector512<float> c00 = default, c10 = default, c20 = default, c30 = default, c40 = default, c50 = default, c60 = default, c70 = default;
        Vector512<float> c01 = default, c11 = default, c21 = default, c31 = default, c41 = default, c51 = default, c61 = default, c71 = default;
        nuint g1 = (nuint)ldg;
        for (int im = 0; im < images; im++)
        {
            ref float xv = ref Unsafe.Add(ref x, im * xStride);
            ref float gv = ref Unsafe.Add(ref g, im * gStride);
            for (int v = 0; v < nv; v++)
            {
                Vector512<float> ga = Vector512.LoadUnsafe(ref gv), gb = Vector512.LoadUnsafe(ref gv, g1);
                Vector512<float> xa = Vector512.LoadUnsafe(ref xv, o0);
                c00 = Vector512.FusedMultiplyAdd(xa, ga, c00); c01 = Vector512.FusedMultiplyAdd(xa, gb, c01);
                xa = Vector512.LoadUnsafe(ref xv, o1);
                c10 = Vector512.FusedMultiplyAdd(xa, ga, c10); c11 = Vector512.FusedMultiplyAdd(xa, gb, c11);
                xa = Vector512.LoadUnsafe(ref xv, o2);
                c20 = Vector512.FusedMultiplyAdd(xa, ga, c20); c21 = Vector512.FusedMultiplyAdd(xa, gb, c21);
                xa = Vector512.LoadUnsafe(ref xv, o3);
                c30 = Vector512.FusedMultiplyAdd(xa, ga, c30); c31 = Vector512.FusedMultiplyAdd(xa, gb, c31);
                xa = Vector512.LoadUnsafe(ref xv, o4);
                c40 = Vector512.FusedMultiplyAdd(xa, ga, c40); c41 = Vector512.FusedMultiplyAdd(xa, gb, c41);
                xa = Vector512.LoadUnsafe(ref xv, o5);
                c50 = Vector512.FusedMultiplyAdd(xa, ga, c50); c51 = Vector512.FusedMultiplyAdd(xa, gb, c51);
                xa = Vector512.LoadUnsafe(ref xv, o6);
                c60 = Vector512.FusedMultiplyAdd(xa, ga, c60); c61 = Vector512.FusedMultiplyAdd(xa, gb, c61);
                xa = Vector512.LoadUnsafe(ref xv, o7);
                c70 = Vector512.FusedMultiplyAdd(xa, ga, c70); c71 = Vector512.FusedMultiplyAdd(xa, gb, c71);
                xv = ref Unsafe.Add(ref xv, Lanes);
                gv = ref Unsafe.Add(ref gv, Lanes);
            }
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

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// The input gradient of a stride-1 direct convolution, scattered tap by tap into the zero-padded input-gradient planes:
/// <c>dxw[c·plane + i·Wp + j + q] += Σ_o W[o, c, i, j] · gw[o·ldg + q]</c>, with the output gradient in wide rows
/// (<c>gw[o·ldg + r·Wp + s]</c>, zero for s ≥ OutW and past the last row). It serves the convolutions of
/// <see cref="ChannelConv2d"/>, whose small output planes make the gather form (<see cref="DirectConv2d"/> on the
/// zero-padded output gradient) spend about half its work on zeros.
/// </summary>
/// <remarks>
/// A wide output position q = r·Wp + s lands on padded input position q + i·Wp + j of tap (i, j), so each tap is
/// a contiguous run; the zero columns of gw add nothing where they wrap into the next row. Register tile: 3 input
/// channels (one tap position) × 9 vectors of q: per output channel 9 gradient loads and 3 broadcast weights feed
/// 27 FMAs; the tile is then added into the 3 planes (which do not overlap, so the read-modify-writes are independent).
/// </remarks>
internal static class DirectConv2dInputGrad
{
    private const int Lanes = DirectConv2d.Lanes;

    /// <summary>Input channels per tile (the channel count is padded to a multiple of this).</summary>
    internal const int ChannelBlock = 3;

    /// <summary>Floats of q per tile: the wide output-gradient rows <c>ldg</c> are a multiple of this.</summary>
    internal const int Chunk = 9 * Lanes;

    /// <summary>The row length of the wide output gradient for an output of outH rows of wp.</summary>
    internal static int GradRowLength(int outH, int wp) => (outH * wp + Chunk - 1) / Chunk * Chunk;

    /// <summary>Input channels padded to whole tiles.</summary>
    internal static int PaddedChannels(int c) => (c + ChannelBlock - 1) / ChannelBlock * ChannelBlock;

    /// <summary>Floats of the padded input-gradient planes, with the slack the last tiles write into.</summary>
    internal static int PlanesLength(int c, int kh, int kw, int wp, int plane, int ldg) =>
        (PaddedChannels(c) - 1) * plane + (kh - 1) * wp + kw - 1 + ldg;

    /// <summary>
    /// The weights as tiles: <c>wD[((i·kw + j)·cb + b)·o·3 + oc·3 + u] = W[oc, 3b + u, i, j]</c> (zero for the padded
    /// channels), cb = <see cref="PaddedChannels"/>(c) / 3.
    /// </summary>
    internal static void PackWeights(ReadOnlySpan<float> w, int o, int c, int kh, int kw, Span<float> wD)
    {
        int cb = PaddedChannels(c) / ChannelBlock, len = kh * kw * cb * o * ChannelBlock;
        if (w.Length < o * c * kh * kw || wD.Length < len)
            throw new ArgumentException($"DirectConv2dInputGrad.PackWeights: {w.Length} weights and {wD.Length} packed floats do not fit {o}x{c}x{kh}x{kw}.");
        wD[..len].Clear();
        for (int oc = 0; oc < o; oc++)
            for (int ci = 0; ci < c; ci++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                        wD[((i * kw + j) * cb + ci / ChannelBlock) * o * ChannelBlock + oc * ChannelBlock + ci % ChannelBlock] =
                            w[((oc * c + ci) * kh + i) * kw + j];
    }

    /// <summary>
    /// One image: <c>dxw[ci·plane + i·wp + j + q] += Σ_oc W[oc, ci, i, j] · gw[oc·ldg + q]</c> for q &lt; ldg, every tap
    /// (i, j) and every (padded) channel ci, with <paramref name="wD"/> from <see cref="PackWeights"/>.
    /// </summary>
    internal static void AccumulateImage(ReadOnlySpan<float> gw, int o, int ldg, ReadOnlySpan<float> wD, int c, int kh, int kw,
        int wp, int plane, Span<float> dxw)
    {
        int cb = PaddedChannels(c) / ChannelBlock;
        if (ldg % Chunk != 0 || gw.Length < o * ldg || wD.Length < kh * kw * cb * o * ChannelBlock
            || dxw.Length < PlanesLength(c, kh, kw, wp, plane, ldg))
            throw new ArgumentException($"DirectConv2dInputGrad.AccumulateImage: buffers of {gw.Length}, {wD.Length} and {dxw.Length} floats do not fit {o} gradient rows of {ldg}, {c} channels of {plane}, kernel {kh}x{kw}.");
        ref float g0 = ref MemoryMarshal.GetReference(gw);
        ref float w0 = ref MemoryMarshal.GetReference(wD);
        ref float d0 = ref MemoryMarshal.GetReference(dxw);
        for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++)
                for (int b = 0; b < cb; b++)
                {
                    ref float wt = ref Unsafe.Add(ref w0, ((i * kw + j) * cb + b) * o * ChannelBlock);
                    ref float dst = ref Unsafe.Add(ref d0, b * ChannelBlock * plane + i * wp + j);
                    for (int q0 = 0; q0 < ldg; q0 += Chunk)
                        Tile(ref Unsafe.Add(ref g0, q0), o, ldg, ref wt, ref Unsafe.Add(ref dst, q0), plane);
                }
    }

    private static void Tile(ref float g, int o, int ldg, ref float w, ref float dst, int plane)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default, a8 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default, b8 = default;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default, c8 = default;
        for (int oc = 0; oc < o; oc++)
        {
            Vector512<float> wa = Vector512.Create(w), wb = Vector512.Create(Unsafe.Add(ref w, 1)), wc = Vector512.Create(Unsafe.Add(ref w, 2));
            Vector512<float> x = Vector512.LoadUnsafe(ref g);
            a0 = Vector512.FusedMultiplyAdd(x, wa, a0); b0 = Vector512.FusedMultiplyAdd(x, wb, b0); c0 = Vector512.FusedMultiplyAdd(x, wc, c0);
            x = Vector512.LoadUnsafe(ref g, 1 * Lanes);
            a1 = Vector512.FusedMultiplyAdd(x, wa, a1); b1 = Vector512.FusedMultiplyAdd(x, wb, b1); c1 = Vector512.FusedMultiplyAdd(x, wc, c1);
            x = Vector512.LoadUnsafe(ref g, 2 * Lanes);
            a2 = Vector512.FusedMultiplyAdd(x, wa, a2); b2 = Vector512.FusedMultiplyAdd(x, wb, b2); c2 = Vector512.FusedMultiplyAdd(x, wc, c2);
            x = Vector512.LoadUnsafe(ref g, 3 * Lanes);
            a3 = Vector512.FusedMultiplyAdd(x, wa, a3); b3 = Vector512.FusedMultiplyAdd(x, wb, b3); c3 = Vector512.FusedMultiplyAdd(x, wc, c3);
            x = Vector512.LoadUnsafe(ref g, 4 * Lanes);
            a4 = Vector512.FusedMultiplyAdd(x, wa, a4); b4 = Vector512.FusedMultiplyAdd(x, wb, b4); c4 = Vector512.FusedMultiplyAdd(x, wc, c4);
            x = Vector512.LoadUnsafe(ref g, 5 * Lanes);
            a5 = Vector512.FusedMultiplyAdd(x, wa, a5); b5 = Vector512.FusedMultiplyAdd(x, wb, b5); c5 = Vector512.FusedMultiplyAdd(x, wc, c5);
            x = Vector512.LoadUnsafe(ref g, 6 * Lanes);
            a6 = Vector512.FusedMultiplyAdd(x, wa, a6); b6 = Vector512.FusedMultiplyAdd(x, wb, b6); c6 = Vector512.FusedMultiplyAdd(x, wc, c6);
            x = Vector512.LoadUnsafe(ref g, 7 * Lanes);
            a7 = Vector512.FusedMultiplyAdd(x, wa, a7); b7 = Vector512.FusedMultiplyAdd(x, wb, b7); c7 = Vector512.FusedMultiplyAdd(x, wc, c7);
            x = Vector512.LoadUnsafe(ref g, 8 * Lanes);
            a8 = Vector512.FusedMultiplyAdd(x, wa, a8); b8 = Vector512.FusedMultiplyAdd(x, wb, b8); c8 = Vector512.FusedMultiplyAdd(x, wc, c8);
            g = ref Unsafe.Add(ref g, ldg);
            w = ref Unsafe.Add(ref w, ChannelBlock);
        }
        AddRow(ref dst, a0, a1, a2, a3, a4, a5, a6, a7, a8);
        AddRow(ref Unsafe.Add(ref dst, plane), b0, b1, b2, b3, b4, b5, b6, b7, b8);
        AddRow(ref Unsafe.Add(ref dst, 2 * plane), c0, c1, c2, c3, c4, c5, c6, c7, c8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(ref float d, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3,
        Vector512<float> v4, Vector512<float> v5, Vector512<float> v6, Vector512<float> v7, Vector512<float> v8)
    {
        (Vector512.LoadUnsafe(ref d) + v0).StoreUnsafe(ref d);
        (Vector512.LoadUnsafe(ref d, 1 * Lanes) + v1).StoreUnsafe(ref d, 1 * Lanes);
        (Vector512.LoadUnsafe(ref d, 2 * Lanes) + v2).StoreUnsafe(ref d, 2 * Lanes);
        (Vector512.LoadUnsafe(ref d, 3 * Lanes) + v3).StoreUnsafe(ref d, 3 * Lanes);
        (Vector512.LoadUnsafe(ref d, 4 * Lanes) + v4).StoreUnsafe(ref d, 4 * Lanes);
        (Vector512.LoadUnsafe(ref d, 5 * Lanes) + v5).StoreUnsafe(ref d, 5 * Lanes);
        (Vector512.LoadUnsafe(ref d, 6 * Lanes) + v6).StoreUnsafe(ref d, 6 * Lanes);
        (Vector512.LoadUnsafe(ref d, 7 * Lanes) + v7).StoreUnsafe(ref d, 7 * Lanes);
        (Vector512.LoadUnsafe(ref d, 8 * Lanes) + v8).StoreUnsafe(ref d, 8 * Lanes);
    }

    /// <summary>
    /// <c>dx[ci, r, s] = dxw[ci·plane + (r + ph)·wp + s + pw]</c>: the interior of the padded planes, for c channels of
    /// <c>[h, w]</c>.
    /// </summary>
    internal static void CopyInterior(ReadOnlySpan<float> dxw, int c, int h, int w, int ph, int pw, int wp, int plane, Span<float> dx)
    {
        if (dx.Length < c * h * w || pw + w > wp || dxw.Length < (c - 1) * plane + (ph + h - 1) * wp + pw + w)
            throw new ArgumentException($"DirectConv2dInputGrad.CopyInterior: buffers of {dxw.Length} and {dx.Length} floats do not fit {c}x{h}x{w} in rows of {wp}.");
        ref float src = ref MemoryMarshal.GetReference(dxw);
        ref float dst = ref MemoryMarshal.GetReference(dx);
        for (int ci = 0; ci < c; ci++)
            for (int r = 0; r < h; r++)
                DirectConv2d.CopyRow(ref Unsafe.Add(ref src, ci * plane + (r + ph) * wp + pw), ref Unsafe.Add(ref dst, (ci * h + r) * w), w);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Direct float32 convolution with the output channels in the vector: the forward pass of the small-image convolutions
/// of <see cref="DirectConv2d"/> that have 9 to 16 output channels and a 5×5 kernel (LeNet's second convolution), with
/// no wasted columns. Its weight gradient is <see cref="ChannelConv2dWeightGrad"/>; the input gradient stays on
/// <see cref="DirectConv2d"/>.
/// </summary>
/// <remarks>
/// <para>"Pixel-major" layout: one image's output is <c>y[(r·OutW + s)·16 + o]</c>, a vector of the 16 (zero-padded)
/// output channels per pixel. The weights are <c>wC[t·16 + o]</c> for tap t = (c·KH + kh)·KW + kw.</para>
/// <para>Register block: 2 output rows × 10 columns, 20 accumulators; per tap one weight-vector load feeds 20 FMAs
/// whose other operand is one input value broadcast from the padded image. Row pairs and column runs that do not
/// tile the output are shifted back to end at its edge (they recompute identical values).</para>
/// </remarks>
internal static class ChannelConv2d
{
    /// <summary>Output channels per vector (and per pixel of the pixel-major layout).</summary>
    internal const int Lanes = 16;

    private const int Cols = 10;

    /// <summary>
    /// Whether a convolution that <see cref="DirectConv2d.Supports"/> takes this layout for its forward pass and weight
    /// gradient: 9 to 16 output channels (one vector, at least half used), a 5×5 kernel, an output of at least 2 rows
    /// of <see cref="Cols"/> pixels.
    /// </summary>
    public static bool Applies(in Conv2dGeometry g, int outChannels) =>
        Avx512F.IsSupported && outChannels > Lanes / 2 && outChannels <= Lanes && g.KH == 5 && g.KW == 5
        && g.OutH >= 2 && g.OutW >= Cols;

    /// <summary><c>wC[t·16 + oc] = w[oc·taps + t]</c> for oc &lt; o, zero for the padded channels.</summary>
    internal static void PackWeights(ReadOnlySpan<float> w, int o, int taps, Span<float> wC)
    {
        if (o > Lanes || w.Length < o * taps || wC.Length < taps * Lanes)
            throw new ArgumentException($"ChannelConv2d.PackWeights: {w.Length} weights and {wC.Length} packed floats do not fit {o}x{taps}.");
        wC[..(taps * Lanes)].Clear();
        for (int oc = 0; oc < o; oc++)
            for (int t = 0; t < taps; t++)
                wC[t * Lanes + oc] = w[oc * taps + t];
    }

    /// <summary>
    /// One image: <c>y[(r·outW + s)·16 + oc] = bias[oc] + Σ_t wC[t·16 + oc] · xp[ci·plane + (r + i)·wp + s + j]</c>
    /// for r &lt; outH, s &lt; outW and taps t = (ci·kh + i)·kw + j, with <paramref name="xp"/> the zero-padded input
    /// (rows of <paramref name="wp"/>, channel planes <paramref name="plane"/> apart; only the pixels the taps reach are read).
    /// </summary>
    internal static void ConvImage(ReadOnlySpan<float> xp, int c, int kh, int kw, int wp, int plane, int outH, int outW,
        ReadOnlySpan<float> wC, Vector512<float> bias, Span<float> y)
    {
        if (outH < 2 || outW < Cols || kw > wp || xp.Length < (c - 1) * plane + (outH + kh - 2) * wp + outW + kw - 1
            || wC.Length < c * kh * kw * Lanes || y.Length < outH * outW * Lanes)
            throw new ArgumentException($"ChannelConv2d.ConvImage: buffers of {xp.Length}, {wC.Length} and {y.Length} floats do not fit {c} channels in rows of {wp}, kernel {kh}x{kw}, output {outH}x{outW}.");
        ref float x0 = ref MemoryMarshal.GetReference(xp);
        ref float w0 = ref MemoryMarshal.GetReference(wC);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        for (int r0 = 0; r0 < outH; r0 += 2)
        {
            int r = Math.Min(r0, outH - 2);
            for (int s0 = 0; s0 < outW; s0 += Cols)
            {
                int s = Math.Min(s0, outW - Cols);
                Block(ref Unsafe.Add(ref x0, r * wp + s), wp, plane, c, kh, kw, ref w0, bias,
                    ref Unsafe.Add(ref y0, (r * outW + s) * Lanes), outW * Lanes);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma(ref float x, int k, Vector512<float> w, Vector512<float> acc) =>
        Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x, k)), w, acc);

    // 2 rows × 10 pixels of 16 channels; x is the top-left input pixel of the block's first tap.
    private static void Block(ref float x, int wp, int plane, int c, int kh, int kw, ref float w, Vector512<float> bias,
        ref float dst, int ldRow)
    {
        Vector512<float> a0 = bias, a1 = bias, a2 = bias, a3 = bias, a4 = bias, a5 = bias, a6 = bias, a7 = bias, a8 = bias, a9 = bias;
        Vector512<float> b0 = bias, b1 = bias, b2 = bias, b3 = bias, b4 = bias, b5 = bias, b6 = bias, b7 = bias, b8 = bias, b9 = bias;
        for (int ci = 0; ci < c; ci++)
        {
            ref float xc = ref Unsafe.Add(ref x, ci * plane);
            for (int i = 0; i < kh; i++)
            {
                ref float p = ref Unsafe.Add(ref xc, i * wp);
                ref float q = ref Unsafe.Add(ref p, wp);
                for (int j = 0; j < kw; j++)
                {
                    Vector512<float> wv = Vector512.LoadUnsafe(ref w);
                    w = ref Unsafe.Add(ref w, Lanes);
                    a0 = Fma(ref p, 0, wv, a0); a1 = Fma(ref p, 1, wv, a1); a2 = Fma(ref p, 2, wv, a2); a3 = Fma(ref p, 3, wv, a3);
                    a4 = Fma(ref p, 4, wv, a4); a5 = Fma(ref p, 5, wv, a5); a6 = Fma(ref p, 6, wv, a6); a7 = Fma(ref p, 7, wv, a7);
                    a8 = Fma(ref p, 8, wv, a8); a9 = Fma(ref p, 9, wv, a9);
                    b0 = Fma(ref q, 0, wv, b0); b1 = Fma(ref q, 1, wv, b1); b2 = Fma(ref q, 2, wv, b2); b3 = Fma(ref q, 3, wv, b3);
                    b4 = Fma(ref q, 4, wv, b4); b5 = Fma(ref q, 5, wv, b5); b6 = Fma(ref q, 6, wv, b6); b7 = Fma(ref q, 7, wv, b7);
                    b8 = Fma(ref q, 8, wv, b8); b9 = Fma(ref q, 9, wv, b9);
                    p = ref Unsafe.Add(ref p, 1);
                    q = ref Unsafe.Add(ref q, 1);
                }
            }
        }
        a0.StoreUnsafe(ref dst, 0 * Lanes); a1.StoreUnsafe(ref dst, 1 * Lanes); a2.StoreUnsafe(ref dst, 2 * Lanes);
        a3.StoreUnsafe(ref dst, 3 * Lanes); a4.StoreUnsafe(ref dst, 4 * Lanes); a5.StoreUnsafe(ref dst, 5 * Lanes);
        a6.StoreUnsafe(ref dst, 6 * Lanes); a7.StoreUnsafe(ref dst, 7 * Lanes); a8.StoreUnsafe(ref dst, 8 * Lanes);
        a9.StoreUnsafe(ref dst, 9 * Lanes);
        ref float d1 = ref Unsafe.Add(ref dst, ldRow);
        b0.StoreUnsafe(ref d1, 0 * Lanes); b1.StoreUnsafe(ref d1, 1 * Lanes); b2.StoreUnsafe(ref d1, 2 * Lanes);
        b3.StoreUnsafe(ref d1, 3 * Lanes); b4.StoreUnsafe(ref d1, 4 * Lanes); b5.StoreUnsafe(ref d1, 5 * Lanes);
        b6.StoreUnsafe(ref d1, 6 * Lanes); b7.StoreUnsafe(ref d1, 7 * Lanes); b8.StoreUnsafe(ref d1, 8 * Lanes);
        b9.StoreUnsafe(ref d1, 9 * Lanes);
    }

    /// <summary><c>y[oc·l + p] = src[p·16 + oc]</c> for oc &lt; o, p &lt; l: pixel-major to channel planes.</summary>
    internal static void ToPlanes(ReadOnlySpan<float> src, int o, int l, Span<float> y)
    {
        if (o > Lanes || src.Length < l * Lanes || y.Length < o * l)
            throw new ArgumentException($"ChannelConv2d.ToPlanes: buffers of {src.Length} and {y.Length} floats do not fit {o}x{l}.");
        ref float s0 = ref MemoryMarshal.GetReference(src);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        for (int oc = 0; oc < o; oc++)
        {
            ref float row = ref Unsafe.Add(ref y0, oc * l);
            for (int p = 0; p < l; p++)
                Unsafe.Add(ref row, p) = Unsafe.Add(ref s0, p * Lanes + oc);
        }
    }

    /// <summary>
    /// <c>dst[p·16 + oc] = src[oc·l + p]</c> for oc &lt; o, p &lt; l: channel planes to pixel-major, the padded lanes
    /// oc ≥ o set to zero.
    /// </summary>
    internal static void ToPixelMajor(ReadOnlySpan<float> src, int o, int l, Span<float> dst)
    {
        if (o > Lanes || src.Length < o * l || dst.Length < l * Lanes)
            throw new ArgumentException($"ChannelConv2d.ToPixelMajor: buffers of {src.Length} and {dst.Length} floats do not fit {o}x{l}.");
        ref float s0 = ref MemoryMarshal.GetReference(src);
        ref float d0 = ref MemoryMarshal.GetReference(dst);
        if (l < Lanes)
        {
            for (int p = 0; p < l; p++)
                for (int oc = 0; oc < Lanes; oc++)
                    Unsafe.Add(ref d0, p * Lanes + oc) = oc < o ? Unsafe.Add(ref s0, oc * l + p) : 0f;
            return;
        }
        // 16 × 16 blocks transposed in registers: stage d swaps the off-diagonal d × d sub-blocks of every 2d × 2d block
        // (rows i and i + d: lo takes lanes j of row i where bit d of j is clear, else lanes j − d of row i + d). The last
        // block is shifted back to end at l (it rewrites identical values).
        Vector512<int> lane = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        Vector512<int> lo8 = Lo(lane, 8), hi8 = Hi(lane, 8), lo4 = Lo(lane, 4), hi4 = Hi(lane, 4);
        Vector512<int> lo2 = Lo(lane, 2), hi2 = Hi(lane, 2), lo1 = Lo(lane, 1), hi1 = Hi(lane, 1);
        for (int p0 = 0; p0 < l; p0 += Lanes)
        {
            int p = Math.Min(p0, l - Lanes);
            Vector512<float> r0 = Row(ref s0, 0, o, l, p);
            Vector512<float> r1 = Row(ref s0, 1, o, l, p);
            Vector512<float> r2 = Row(ref s0, 2, o, l, p);
            Vector512<float> r3 = Row(ref s0, 3, o, l, p);
            Vector512<float> r4 = Row(ref s0, 4, o, l, p);
            Vector512<float> r5 = Row(ref s0, 5, o, l, p);
            Vector512<float> r6 = Row(ref s0, 6, o, l, p);
            Vector512<float> r7 = Row(ref s0, 7, o, l, p);
            Vector512<float> r8 = Row(ref s0, 8, o, l, p);
            Vector512<float> r9 = Row(ref s0, 9, o, l, p);
            Vector512<float> r10 = Row(ref s0, 10, o, l, p);
            Vector512<float> r11 = Row(ref s0, 11, o, l, p);
            Vector512<float> r12 = Row(ref s0, 12, o, l, p);
            Vector512<float> r13 = Row(ref s0, 13, o, l, p);
            Vector512<float> r14 = Row(ref s0, 14, o, l, p);
            Vector512<float> r15 = Row(ref s0, 15, o, l, p);
            Vector512<float> t;
            t = Avx512F.PermuteVar16x32x2(r0, lo8, r8); r8 = Avx512F.PermuteVar16x32x2(r0, hi8, r8); r0 = t;
            t = Avx512F.PermuteVar16x32x2(r1, lo8, r9); r9 = Avx512F.PermuteVar16x32x2(r1, hi8, r9); r1 = t;
            t = Avx512F.PermuteVar16x32x2(r2, lo8, r10); r10 = Avx512F.PermuteVar16x32x2(r2, hi8, r10); r2 = t;
            t = Avx512F.PermuteVar16x32x2(r3, lo8, r11); r11 = Avx512F.PermuteVar16x32x2(r3, hi8, r11); r3 = t;
            t = Avx512F.PermuteVar16x32x2(r4, lo8, r12); r12 = Avx512F.PermuteVar16x32x2(r4, hi8, r12); r4 = t;
            t = Avx512F.PermuteVar16x32x2(r5, lo8, r13); r13 = Avx512F.PermuteVar16x32x2(r5, hi8, r13); r5 = t;
            t = Avx512F.PermuteVar16x32x2(r6, lo8, r14); r14 = Avx512F.PermuteVar16x32x2(r6, hi8, r14); r6 = t;
            t = Avx512F.PermuteVar16x32x2(r7, lo8, r15); r15 = Avx512F.PermuteVar16x32x2(r7, hi8, r15); r7 = t;
            t = Avx512F.PermuteVar16x32x2(r0, lo4, r4); r4 = Avx512F.PermuteVar16x32x2(r0, hi4, r4); r0 = t;
            t = Avx512F.PermuteVar16x32x2(r1, lo4, r5); r5 = Avx512F.PermuteVar16x32x2(r1, hi4, r5); r1 = t;
            t = Avx512F.PermuteVar16x32x2(r2, lo4, r6); r6 = Avx512F.PermuteVar16x32x2(r2, hi4, r6); r2 = t;
            t = Avx512F.PermuteVar16x32x2(r3, lo4, r7); r7 = Avx512F.PermuteVar16x32x2(r3, hi4, r7); r3 = t;
            t = Avx512F.PermuteVar16x32x2(r8, lo4, r12); r12 = Avx512F.PermuteVar16x32x2(r8, hi4, r12); r8 = t;
            t = Avx512F.PermuteVar16x32x2(r9, lo4, r13); r13 = Avx512F.PermuteVar16x32x2(r9, hi4, r13); r9 = t;
            t = Avx512F.PermuteVar16x32x2(r10, lo4, r14); r14 = Avx512F.PermuteVar16x32x2(r10, hi4, r14); r10 = t;
            t = Avx512F.PermuteVar16x32x2(r11, lo4, r15); r15 = Avx512F.PermuteVar16x32x2(r11, hi4, r15); r11 = t;
            t = Avx512F.PermuteVar16x32x2(r0, lo2, r2); r2 = Avx512F.PermuteVar16x32x2(r0, hi2, r2); r0 = t;
            t = Avx512F.PermuteVar16x32x2(r1, lo2, r3); r3 = Avx512F.PermuteVar16x32x2(r1, hi2, r3); r1 = t;
            t = Avx512F.PermuteVar16x32x2(r4, lo2, r6); r6 = Avx512F.PermuteVar16x32x2(r4, hi2, r6); r4 = t;
            t = Avx512F.PermuteVar16x32x2(r5, lo2, r7); r7 = Avx512F.PermuteVar16x32x2(r5, hi2, r7); r5 = t;
            t = Avx512F.PermuteVar16x32x2(r8, lo2, r10); r10 = Avx512F.PermuteVar16x32x2(r8, hi2, r10); r8 = t;
            t = Avx512F.PermuteVar16x32x2(r9, lo2, r11); r11 = Avx512F.PermuteVar16x32x2(r9, hi2, r11); r9 = t;
            t = Avx512F.PermuteVar16x32x2(r12, lo2, r14); r14 = Avx512F.PermuteVar16x32x2(r12, hi2, r14); r12 = t;
            t = Avx512F.PermuteVar16x32x2(r13, lo2, r15); r15 = Avx512F.PermuteVar16x32x2(r13, hi2, r15); r13 = t;
            t = Avx512F.PermuteVar16x32x2(r0, lo1, r1); r1 = Avx512F.PermuteVar16x32x2(r0, hi1, r1); r0 = t;
            t = Avx512F.PermuteVar16x32x2(r2, lo1, r3); r3 = Avx512F.PermuteVar16x32x2(r2, hi1, r3); r2 = t;
            t = Avx512F.PermuteVar16x32x2(r4, lo1, r5); r5 = Avx512F.PermuteVar16x32x2(r4, hi1, r5); r4 = t;
            t = Avx512F.PermuteVar16x32x2(r6, lo1, r7); r7 = Avx512F.PermuteVar16x32x2(r6, hi1, r7); r6 = t;
            t = Avx512F.PermuteVar16x32x2(r8, lo1, r9); r9 = Avx512F.PermuteVar16x32x2(r8, hi1, r9); r8 = t;
            t = Avx512F.PermuteVar16x32x2(r10, lo1, r11); r11 = Avx512F.PermuteVar16x32x2(r10, hi1, r11); r10 = t;
            t = Avx512F.PermuteVar16x32x2(r12, lo1, r13); r13 = Avx512F.PermuteVar16x32x2(r12, hi1, r13); r12 = t;
            t = Avx512F.PermuteVar16x32x2(r14, lo1, r15); r15 = Avx512F.PermuteVar16x32x2(r14, hi1, r15); r14 = t;
            r0.StoreUnsafe(ref d0, (nuint)((p + 0) * Lanes));
            r1.StoreUnsafe(ref d0, (nuint)((p + 1) * Lanes));
            r2.StoreUnsafe(ref d0, (nuint)((p + 2) * Lanes));
            r3.StoreUnsafe(ref d0, (nuint)((p + 3) * Lanes));
            r4.StoreUnsafe(ref d0, (nuint)((p + 4) * Lanes));
            r5.StoreUnsafe(ref d0, (nuint)((p + 5) * Lanes));
            r6.StoreUnsafe(ref d0, (nuint)((p + 6) * Lanes));
            r7.StoreUnsafe(ref d0, (nuint)((p + 7) * Lanes));
            r8.StoreUnsafe(ref d0, (nuint)((p + 8) * Lanes));
            r9.StoreUnsafe(ref d0, (nuint)((p + 9) * Lanes));
            r10.StoreUnsafe(ref d0, (nuint)((p + 10) * Lanes));
            r11.StoreUnsafe(ref d0, (nuint)((p + 11) * Lanes));
            r12.StoreUnsafe(ref d0, (nuint)((p + 12) * Lanes));
            r13.StoreUnsafe(ref d0, (nuint)((p + 13) * Lanes));
            r14.StoreUnsafe(ref d0, (nuint)((p + 14) * Lanes));
            r15.StoreUnsafe(ref d0, (nuint)((p + 15) * Lanes));
        }
    }

    // The permute indices of a transpose stage (see ToPixelMajor): from the first row (0-15) or the second (16-31).
    private static Vector512<int> Lo(Vector512<int> lane, int d) =>
        Vector512.ConditionalSelect(Vector512.Equals(lane & Vector512.Create(d), Vector512<int>.Zero), lane, lane + Vector512.Create(16 - d));

    private static Vector512<int> Hi(Vector512<int> lane, int d) =>
        Vector512.ConditionalSelect(Vector512.Equals(lane & Vector512.Create(d), Vector512<int>.Zero), lane + Vector512.Create(d), lane + Vector512.Create(16));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(ref float src, int oc, int o, int l, int p) =>
        oc < o ? Vector512.LoadUnsafe(ref src, (nuint)(oc * l + p)) : Vector512<float>.Zero;
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Direct float32 convolution of small images (stride 1, dilation 1, one group: the LeNet shapes), with no
/// column matrix: the forward pass and, by the same kernel on the output gradient, the input gradient.
/// </summary>
/// <remarks>
/// <para>"Wide" layout: a channel is zero-padded to <c>[Hp, Wp]</c> and output pixel (oh, ow) is computed at
/// q = oh·Wp + ow for every ow in [0, Wp), not just [0, OutW). Then tap (c, kh, kw) of every output reads
/// <c>xp[c·Hp·Wp + kh·Wp + kw + q]</c>: one contiguous run in q, so the convolution is, per tap, a vector
/// multiply-add over q with a broadcast weight. The Wp − OutW extra columns of each output row read across a
/// row end; they are computed and dropped.</para>
/// <para>The register block is 4 (or 2) output channels × 3 vectors of q: per tap 3 loads and 4 broadcasts feed
/// 12 FMAs; a final group of 6 channels uses 6 × 2 vectors instead. The q range is covered by blocks of 3 vectors; the last block is shifted back to end exactly at the
/// range's end (it recomputes identical values), so no tail loop is needed.</para>
/// <para>The input gradient of a stride-1 convolution is the convolution of the zero-padded output gradient by the
/// spatially flipped, channel-transposed weight with padding K − 1 − pad, which is why the same kernel serves it. It is
/// computed on rows of the same length Wp = OutW + KW − 1: each output-gradient row is stored after KW − 1 zeros, so
/// a tap that falls left or right of a row reads those zeros (of its own row or the next), and only KH − 1 zero rows
/// are needed above and below.</para>
/// </remarks>
internal static class DirectConv2d
{
    /// <summary>float lanes per vector.</summary>
    internal const int Lanes = 16;

    private const int Block = 3 * Lanes;

    /// <summary>Whether the direct kernels handle this convolution (and are expected to beat im2col + GEMM).</summary>
    public static bool Supports(in Conv2dGeometry g, int groups, int outChannels)
    {
        if (!Vector512.IsHardwareAccelerated || groups != 1)
            return false;
        if (g.StrideH != 1 || g.StrideW != 1 || g.DilationH != 1 || g.DilationW != 1)
            return false;
        if (g.PadH > g.KH - 1 || g.PadW > g.KW - 1)
            return false;
        long hp = g.H + 2L * g.PadH, wp = g.W + 2L * g.PadW;
        // Both wide ranges (output rows and input-gradient rows, each Wp long) must hold one block; small planes and
        // channel counts keep the working set in cache, where the direct loop is faster than packing a GEMM.
        return g.OutH * wp >= Block && g.H * wp >= Block && hp * wp <= 4096
            && (long)g.C * g.KH * g.KW <= 1024 && outChannels <= 256;
    }

    /// <summary>
    /// The zero-padded wide image buffer of <paramref name="c"/> channels of <c>[h, w]</c> padded by (ph, pw):
    /// its length (with a zero slack after the last plane for the reads past the end of wide rows).
    /// </summary>
    internal static int PaddedLength(int c, int h, int w, int ph, int pw, int kw) =>
        c * (h + 2 * ph) * (w + 2 * pw) + kw + 2 * Lanes;

    /// <summary>
    /// Copies image <c>[c, h, w]</c> into the interior of the padded buffer <paramref name="xp"/> (whose border
    /// and slack must already be zero: they are never written).
    /// </summary>
    internal static void CopyInterior(ReadOnlySpan<float> x, int c, int h, int w, int ph, int pw, Span<float> xp)
    {
        int wp = w + 2 * pw;
        CopyPlaced(x, c, h, w, ph, pw, wp, (h + 2 * ph) * wp, xp);
    }

    /// <summary>
    /// Copies image <c>[c, h, w]</c> into <paramref name="buffer"/>: row r of channel ci at
    /// <c>ci·plane + (top + r)·rowLength + left</c>. Nothing else is written.
    /// </summary>
    internal static void CopyPlaced(ReadOnlySpan<float> x, int c, int h, int w, int top, int left, int rowLength, int plane,
        Span<float> buffer)
    {
        if (x.Length < c * h * w || left + w > rowLength || buffer.Length < (c - 1) * plane + (top + h - 1) * rowLength + left + w)
            throw new ArgumentException($"DirectConv2d.CopyPlaced: buffers of {x.Length} and {buffer.Length} floats do not fit {c}x{h}x{w} at ({top}, {left}) in rows of {rowLength}.");
        ref float src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(buffer);
        for (int ci = 0; ci < c; ci++)
            for (int r = 0; r < h; r++)
                CopyRow(ref Unsafe.Add(ref src, (ci * h + r) * w), ref Unsafe.Add(ref dst, ci * plane + (r + top) * rowLength + left), w);
    }

    /// <summary>Copies n floats (the short rows of these images) with whole-vector moves, the last one overlapping.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CopyRow(ref float src, ref float dst, int n)
    {
        if (n >= Lanes)
        {
            int i = 0;
            for (; i <= n - Lanes; i += Lanes)
                Vector512.LoadUnsafe(ref src, (nuint)i).StoreUnsafe(ref dst, (nuint)i);
            if (i < n)
                Vector512.LoadUnsafe(ref src, (nuint)(n - Lanes)).StoreUnsafe(ref dst, (nuint)(n - Lanes));
        }
        else if (n >= 8)
        {
            Vector256.LoadUnsafe(ref src).StoreUnsafe(ref dst);
            Vector256.LoadUnsafe(ref src, (nuint)(n - 8)).StoreUnsafe(ref dst, (nuint)(n - 8));
        }
        else if (n >= 4)
        {
            Vector128.LoadUnsafe(ref src).StoreUnsafe(ref dst);
            Vector128.LoadUnsafe(ref src, (nuint)(n - 4)).StoreUnsafe(ref dst, (nuint)(n - 4));
        }
        else
            for (int i = 0; i < n; i++)
                Unsafe.Add(ref dst, i) = Unsafe.Add(ref src, i);
    }

    /// <summary>Offsets of taps (c, kh, kw) in a padded buffer with row length wp and plane size plane.</summary>
    internal static void TapOffsets(int c, int kh, int kw, int wp, int plane, Span<int> off)
    {
        int t = 0;
        for (int ci = 0; ci < c; ci++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++)
                    off[t++] = ci * plane + i * wp + j;
    }

    /// <summary>
    /// The forward weights as <c>wT[t, o]</c> (t = (c·KH + kh)·KW + kw), o padded with zeros to
    /// <paramref name="opad"/>: the broadcast operands of a channel block are adjacent.
    /// </summary>
    internal static void TransposeWeights(ReadOnlySpan<float> w, int o, int taps, int opad, Span<float> wT)
    {
        wT[..(taps * opad)].Clear();
        for (int oc = 0; oc < o; oc++)
            for (int t = 0; t < taps; t++)
                wT[t * opad + oc] = w[oc * taps + t];
    }

    /// <summary>
    /// The input-gradient weights: <c>wT[(o·KH + i)·KW + j, c] = W[o, c, KH−1−i, KW−1−j]</c>, c padded with zeros to
    /// <paramref name="cpad"/>.
    /// </summary>
    internal static void FlipWeights(ReadOnlySpan<float> w, int o, int c, int kh, int kw, int cpad, Span<float> wT)
    {
        wT[..(o * kh * kw * cpad)].Clear();
        for (int oc = 0; oc < o; oc++)
            for (int ci = 0; ci < c; ci++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                        wT[((oc * kh + i) * kw + j) * cpad + ci] = w[((oc * c + ci) * kh + kh - 1 - i) * kw + kw - 1 - j];
    }

    /// <summary>
    /// One image: <c>y[oc, r, s] = bias[oc] + Σ_t wT[t, oc] · xp[off[t] + r·wp + s]</c> for r &lt; outH, s &lt; outW
    /// (<paramref name="bias"/> has <paramref name="opad"/> entries, zeros for none),
    /// with <paramref name="xp"/> the padded input (see <see cref="CopyInterior"/>) and <paramref name="yw"/> scratch
    /// of at least <c>opad · outH · wp</c> floats.
    /// </summary>
    internal static void ConvImage(ReadOnlySpan<float> xp, ReadOnlySpan<int> off, ReadOnlySpan<float> wT, int opad,
        int o, int wp, int outH, int outW, ReadOnlySpan<float> bias, Span<float> yw, Span<float> y)
    {
        ConvImageWide(xp, off, wT, opad, wp, outH, bias, yw);
        int q = outH * wp;
        ref float out0 = ref MemoryMarshal.GetReference(yw);
        int l = outH * outW;
        if (y.Length < o * l || yw.Length < opad * q)
            throw new ArgumentException($"DirectConv2d.ConvImage: output buffers of {y.Length} and {yw.Length} floats are too short for {o}x{outH}x{outW}.");
        ref float y0 = ref MemoryMarshal.GetReference(y);
        for (int oc = 0; oc < o; oc++)
            for (int r = 0; r < outH; r++)
                CopyRow(ref Unsafe.Add(ref out0, oc * q + r * wp), ref Unsafe.Add(ref y0, oc * l + r * outW), outW);
    }

    /// <summary>
    /// The wide output of one image: <c>yw[oc·outH·wp + r·wp + s] = bias[oc] + Σ_t wT[t, oc] · xp[off[t] + r·wp + s]</c>
    /// for every s &lt; wp (columns from OutW on are computed and meaningless), oc &lt; <paramref name="opad"/>.
    /// </summary>
    internal static void ConvImageWide(ReadOnlySpan<float> xp, ReadOnlySpan<int> off, ReadOnlySpan<float> wT, int opad,
        int wp, int outH, ReadOnlySpan<float> bias, Span<float> yw)
    {
        if (bias.Length < opad)
            throw new ArgumentException($"DirectConv2d.ConvImage: bias has {bias.Length} floats, needs {opad} (zeros for none).");
        if (yw.Length < opad * outH * wp || wT.Length < off.Length * opad)
            throw new ArgumentException($"DirectConv2d.ConvImage: the wide output ({yw.Length} floats) or the weights ({wT.Length}) are too short for {opad}x{outH}x{wp}.");
        ref float b0 = ref MemoryMarshal.GetReference(bias);
        int q = outH * wp, taps = off.Length;
        ref float x0 = ref MemoryMarshal.GetReference(xp);
        ref int offs = ref MemoryMarshal.GetReference(off);
        ref float w0 = ref MemoryMarshal.GetReference(wT);
        ref float out0 = ref MemoryMarshal.GetReference(yw);
        for (int o0 = 0; o0 < opad;)
        {
            // Channels go 4 at a time; a last 6 (O = 6, the LeNet case) take one 6 × 2-vector block instead of 4 + 2.
            int rows = opad - o0 == 6 ? 6 : opad - o0 >= 4 ? 4 : 2;
            int block = rows == 6 ? 2 * Lanes : Block;
            for (int q0 = 0; q0 < q; q0 += block)
            {
                int qs = Math.Min(q0, q - block);
                ref float xq = ref Unsafe.Add(ref x0, qs);
                ref float wq = ref Unsafe.Add(ref w0, o0);
                ref float dst = ref Unsafe.Add(ref out0, o0 * q + qs);
                if (rows == 6)
                    Block6(ref xq, ref offs, taps, ref wq, opad, ref Unsafe.Add(ref b0, o0), ref dst, q);
                else if (rows == 4)
                    Block4(ref xq, ref offs, taps, ref wq, opad, ref Unsafe.Add(ref b0, o0), ref dst, q);
                else
                    Block2(ref xq, ref offs, taps, ref wq, opad, ref Unsafe.Add(ref b0, o0), ref dst, q);
            }
            o0 += rows;
        }
    }

    private static void Block4(ref float xq, ref int offs, int taps, ref float wq, int opad, ref float bias, ref float dst, int ld)
    {
        Vector512<float> a00 = Vector512.Create(bias), a01 = a00, a02 = a00;
        Vector512<float> a10 = Vector512.Create(Unsafe.Add(ref bias, 1)), a11 = a10, a12 = a10;
        Vector512<float> a20 = Vector512.Create(Unsafe.Add(ref bias, 2)), a21 = a20, a22 = a20;
        Vector512<float> a30 = Vector512.Create(Unsafe.Add(ref bias, 3)), a31 = a30, a32 = a30;
        for (int t = 0; t < taps; t++)
        {
            ref float xs = ref Unsafe.Add(ref xq, Unsafe.Add(ref offs, t));
            Vector512<float> x0 = Vector512.LoadUnsafe(ref xs);
            Vector512<float> x1 = Vector512.LoadUnsafe(ref xs, Lanes);
            Vector512<float> x2 = Vector512.LoadUnsafe(ref xs, 2 * Lanes);
            ref float wr = ref Unsafe.Add(ref wq, t * opad);
            Vector512<float> w = Vector512.Create(wr);
            a00 = Vector512.FusedMultiplyAdd(x0, w, a00); a01 = Vector512.FusedMultiplyAdd(x1, w, a01); a02 = Vector512.FusedMultiplyAdd(x2, w, a02);
            w = Vector512.Create(Unsafe.Add(ref wr, 1));
            a10 = Vector512.FusedMultiplyAdd(x0, w, a10); a11 = Vector512.FusedMultiplyAdd(x1, w, a11); a12 = Vector512.FusedMultiplyAdd(x2, w, a12);
            w = Vector512.Create(Unsafe.Add(ref wr, 2));
            a20 = Vector512.FusedMultiplyAdd(x0, w, a20); a21 = Vector512.FusedMultiplyAdd(x1, w, a21); a22 = Vector512.FusedMultiplyAdd(x2, w, a22);
            w = Vector512.Create(Unsafe.Add(ref wr, 3));
            a30 = Vector512.FusedMultiplyAdd(x0, w, a30); a31 = Vector512.FusedMultiplyAdd(x1, w, a31); a32 = Vector512.FusedMultiplyAdd(x2, w, a32);
        }
        Store3(ref dst, a00, a01, a02);
        Store3(ref Unsafe.Add(ref dst, ld), a10, a11, a12);
        Store3(ref Unsafe.Add(ref dst, 2 * ld), a20, a21, a22);
        Store3(ref Unsafe.Add(ref dst, 3 * ld), a30, a31, a32);
    }

    // 6 channels × 2 vectors: per tap 2 loads and 6 broadcasts feed 12 FMAs.
    private static void Block6(ref float xq, ref int offs, int taps, ref float wq, int opad, ref float bias, ref float dst, int ld)
    {
        Vector512<float> a00 = Vector512.Create(bias), a01 = a00;
        Vector512<float> a10 = Vector512.Create(Unsafe.Add(ref bias, 1)), a11 = a10;
        Vector512<float> a20 = Vector512.Create(Unsafe.Add(ref bias, 2)), a21 = a20;
        Vector512<float> a30 = Vector512.Create(Unsafe.Add(ref bias, 3)), a31 = a30;
        Vector512<float> a40 = Vector512.Create(Unsafe.Add(ref bias, 4)), a41 = a40;
        Vector512<float> a50 = Vector512.Create(Unsafe.Add(ref bias, 5)), a51 = a50;
        for (int t = 0; t < taps; t++)
        {
            ref float xs = ref Unsafe.Add(ref xq, Unsafe.Add(ref offs, t));
            Vector512<float> x0 = Vector512.LoadUnsafe(ref xs);
            Vector512<float> x1 = Vector512.LoadUnsafe(ref xs, Lanes);
            ref float wr = ref Unsafe.Add(ref wq, t * opad);
            Vector512<float> w = Vector512.Create(wr);
            a00 = Vector512.FusedMultiplyAdd(x0, w, a00); a01 = Vector512.FusedMultiplyAdd(x1, w, a01);
            w = Vector512.Create(Unsafe.Add(ref wr, 1));
            a10 = Vector512.FusedMultiplyAdd(x0, w, a10); a11 = Vector512.FusedMultiplyAdd(x1, w, a11);
            w = Vector512.Create(Unsafe.Add(ref wr, 2));
            a20 = Vector512.FusedMultiplyAdd(x0, w, a20); a21 = Vector512.FusedMultiplyAdd(x1, w, a21);
            w = Vector512.Create(Unsafe.Add(ref wr, 3));
            a30 = Vector512.FusedMultiplyAdd(x0, w, a30); a31 = Vector512.FusedMultiplyAdd(x1, w, a31);
            w = Vector512.Create(Unsafe.Add(ref wr, 4));
            a40 = Vector512.FusedMultiplyAdd(x0, w, a40); a41 = Vector512.FusedMultiplyAdd(x1, w, a41);
            w = Vector512.Create(Unsafe.Add(ref wr, 5));
            a50 = Vector512.FusedMultiplyAdd(x0, w, a50); a51 = Vector512.FusedMultiplyAdd(x1, w, a51);
        }
        Store2(ref dst, a00, a01);
        Store2(ref Unsafe.Add(ref dst, ld), a10, a11);
        Store2(ref Unsafe.Add(ref dst, 2 * ld), a20, a21);
        Store2(ref Unsafe.Add(ref dst, 3 * ld), a30, a31);
        Store2(ref Unsafe.Add(ref dst, 4 * ld), a40, a41);
        Store2(ref Unsafe.Add(ref dst, 5 * ld), a50, a51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2(ref float d, Vector512<float> v0, Vector512<float> v1)
    {
        v0.StoreUnsafe(ref d);
        v1.StoreUnsafe(ref d, Lanes);
    }

    private static void Block2(ref float xq, ref int offs, int taps, ref float wq, int opad, ref float bias, ref float dst, int ld)
    {
        Vector512<float> a00 = Vector512.Create(bias), a01 = a00, a02 = a00;
        Vector512<float> a10 = Vector512.Create(Unsafe.Add(ref bias, 1)), a11 = a10, a12 = a10;
        for (int t = 0; t < taps; t++)
        {
            ref float xs = ref Unsafe.Add(ref xq, Unsafe.Add(ref offs, t));
            Vector512<float> x0 = Vector512.LoadUnsafe(ref xs);
            Vector512<float> x1 = Vector512.LoadUnsafe(ref xs, Lanes);
            Vector512<float> x2 = Vector512.LoadUnsafe(ref xs, 2 * Lanes);
            ref float wr = ref Unsafe.Add(ref wq, t * opad);
            Vector512<float> w = Vector512.Create(wr);
            a00 = Vector512.FusedMultiplyAdd(x0, w, a00); a01 = Vector512.FusedMultiplyAdd(x1, w, a01); a02 = Vector512.FusedMultiplyAdd(x2, w, a02);
            w = Vector512.Create(Unsafe.Add(ref wr, 1));
            a10 = Vector512.FusedMultiplyAdd(x0, w, a10); a11 = Vector512.FusedMultiplyAdd(x1, w, a11); a12 = Vector512.FusedMultiplyAdd(x2, w, a12);
        }
        Store3(ref dst, a00, a01, a02);
        Store3(ref Unsafe.Add(ref dst, ld), a10, a11, a12);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store3(ref float d, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2)
    {
        v0.StoreUnsafe(ref d);
        v1.StoreUnsafe(ref d, Lanes);
        v2.StoreUnsafe(ref d, 2 * Lanes);
    }
}

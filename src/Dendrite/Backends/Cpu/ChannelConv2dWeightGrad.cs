using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// The weight gradient of <see cref="ChannelConv2d"/>'s convolution (5×5 kernels), from the output gradient in the
/// pixel-major layout: <c>dW[o, c, i, j] = Σ_n Σ_(r,s) gy[n, (r·OutW + s)·16 + o] · xp[n, c·plane + (r + i)·Wp + s + j]</c>.
/// </summary>
/// <remarks>
/// One input channel at a time: its 25 taps × 16 output channels are 25 vector accumulators; per output pixel one
/// gradient-vector load feeds 25 FMAs whose other operand is one input value broadcast from the padded image. Only
/// the real output pixels are visited.
/// </remarks>
internal static class ChannelConv2dWeightGrad
{
    private const int Lanes = ChannelConv2d.Lanes;

    /// <summary>Taps of one input channel: the kernel is 5×5.</summary>
    internal const int Taps = 25;

    /// <summary>
    /// <c>acc[(ci·25 + i·5 + j)·16 + oc] += Σ_(r,s) gy[(r·outW + s)·16 + oc] · xp[ci·plane + (r + i)·wp + s + j]</c> for
    /// one image of <paramref name="c"/> channels (rows of <paramref name="wp"/>, only the pixels the taps reach are read).
    /// </summary>
    internal static void AccumulateImage(ReadOnlySpan<float> xp, ReadOnlySpan<float> gy, int c, int wp, int plane, int outH, int outW,
        Span<float> acc)
    {
        if (outH < 1 || outW < 1 || wp < outW + 4 || xp.Length < (c - 1) * plane + (outH + 3) * wp + outW + 4
            || gy.Length < outH * outW * Lanes || acc.Length < c * Taps * Lanes)
            throw new ArgumentException($"ChannelConv2dWeightGrad.AccumulateImage: buffers of {xp.Length}, {gy.Length} and {acc.Length} floats do not fit {c} channels in rows of {wp}, output {outH}x{outW}.");
        ref float x0 = ref MemoryMarshal.GetReference(xp);
        ref float g0 = ref MemoryMarshal.GetReference(gy);
        ref float a0 = ref MemoryMarshal.GetReference(acc);
        for (int ci = 0; ci < c; ci++)
            Channel(ref Unsafe.Add(ref x0, ci * plane), ref g0, wp, outH, outW, ref Unsafe.Add(ref a0, ci * Taps * Lanes));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma(ref float x, int k, Vector512<float> g, Vector512<float> acc) =>
        Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x, k)), g, acc);

    private static void Channel(ref float x, ref float g, int wp, int outH, int outW, ref float acc)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c04 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default, c14 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default, c24 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default, c34 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c43 = default, c44 = default;
        for (int r = 0; r < outH; r++)
        {
            ref float p0 = ref Unsafe.Add(ref x, r * wp);
            for (int s = 0; s < outW; s++)
            {
                Vector512<float> gv = Vector512.LoadUnsafe(ref g);
                g = ref Unsafe.Add(ref g, Lanes);
                c00 = Fma(ref p0, 0, gv, c00); c01 = Fma(ref p0, 1, gv, c01); c02 = Fma(ref p0, 2, gv, c02);
                c03 = Fma(ref p0, 3, gv, c03); c04 = Fma(ref p0, 4, gv, c04);
                ref float p1 = ref Unsafe.Add(ref p0, wp);
                c10 = Fma(ref p1, 0, gv, c10); c11 = Fma(ref p1, 1, gv, c11); c12 = Fma(ref p1, 2, gv, c12);
                c13 = Fma(ref p1, 3, gv, c13); c14 = Fma(ref p1, 4, gv, c14);
                ref float p2 = ref Unsafe.Add(ref p1, wp);
                c20 = Fma(ref p2, 0, gv, c20); c21 = Fma(ref p2, 1, gv, c21); c22 = Fma(ref p2, 2, gv, c22);
                c23 = Fma(ref p2, 3, gv, c23); c24 = Fma(ref p2, 4, gv, c24);
                ref float p3 = ref Unsafe.Add(ref p2, wp);
                c30 = Fma(ref p3, 0, gv, c30); c31 = Fma(ref p3, 1, gv, c31); c32 = Fma(ref p3, 2, gv, c32);
                c33 = Fma(ref p3, 3, gv, c33); c34 = Fma(ref p3, 4, gv, c34);
                ref float p4 = ref Unsafe.Add(ref p3, wp);
                c40 = Fma(ref p4, 0, gv, c40); c41 = Fma(ref p4, 1, gv, c41); c42 = Fma(ref p4, 2, gv, c42);
                c43 = Fma(ref p4, 3, gv, c43); c44 = Fma(ref p4, 4, gv, c44);
                p0 = ref Unsafe.Add(ref p0, 1);
            }
        }
        AddTo(ref acc, 0, c00); AddTo(ref acc, 1, c01); AddTo(ref acc, 2, c02); AddTo(ref acc, 3, c03); AddTo(ref acc, 4, c04);
        AddTo(ref acc, 5, c10); AddTo(ref acc, 6, c11); AddTo(ref acc, 7, c12); AddTo(ref acc, 8, c13); AddTo(ref acc, 9, c14);
        AddTo(ref acc, 10, c20); AddTo(ref acc, 11, c21); AddTo(ref acc, 12, c22); AddTo(ref acc, 13, c23); AddTo(ref acc, 14, c24);
        AddTo(ref acc, 15, c30); AddTo(ref acc, 16, c31); AddTo(ref acc, 17, c32); AddTo(ref acc, 18, c33); AddTo(ref acc, 19, c34);
        AddTo(ref acc, 20, c40); AddTo(ref acc, 21, c41); AddTo(ref acc, 22, c42); AddTo(ref acc, 23, c43); AddTo(ref acc, 24, c44);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(ref float acc, int tap, Vector512<float> v)
    {
        nuint at = (nuint)(tap * Lanes);
        (Vector512.LoadUnsafe(ref acc, at) + v).StoreUnsafe(ref acc, at);
    }

    /// <summary><c>bias[oc] += Σ_p gy[p·16 + oc]</c> for p &lt; l, oc &lt; o: the bias gradient of one image.</summary>
    internal static void SumPixels(ReadOnlySpan<float> gy, int l, int o, Span<float> bias)
    {
        if (o > Lanes || gy.Length < l * Lanes || bias.Length < o)
            throw new ArgumentException($"ChannelConv2dWeightGrad.SumPixels: buffers of {gy.Length} and {bias.Length} floats do not fit {l} pixels of {o} channels.");
        ref float g0 = ref MemoryMarshal.GetReference(gy);
        Vector512<float> s0 = default, s1 = default;
        int p = 0;
        for (; p + 1 < l; p += 2)
        {
            s0 += Vector512.LoadUnsafe(ref g0, (nuint)(p * Lanes));
            s1 += Vector512.LoadUnsafe(ref g0, (nuint)((p + 1) * Lanes));
        }
        if (p < l)
            s0 += Vector512.LoadUnsafe(ref g0, (nuint)(p * Lanes));
        s0 += s1;
        for (int oc = 0; oc < o; oc++)
            bias[oc] += s0.GetElement(oc);
    }

    /// <summary><c>dw[oc·taps + t] = acc[t·16 + oc]</c> for oc &lt; o, t &lt; taps: the accumulators as weights.</summary>
    internal static void ToWeights(ReadOnlySpan<float> acc, int o, int taps, Span<float> dw)
    {
        if (o > Lanes || acc.Length < taps * Lanes || dw.Length < o * taps)
            throw new ArgumentException($"ChannelConv2dWeightGrad.ToWeights: buffers of {acc.Length} and {dw.Length} floats do not fit {o}x{taps}.");
        for (int oc = 0; oc < o; oc++)
            for (int t = 0; t < taps; t++)
                dw[oc * taps + t] = acc[t * Lanes + oc];
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// 2-D average pooling over contiguous <c>[P, H, W]</c> planes (P = N·C for an NCHW tensor) with PyTorch's
/// default <c>count_include_pad = true</c>: padding counts as zeros and every window divides by
/// <c>KH·KW</c>. (In floor mode a window never extends past the padded input, so that divisor is exact.)
/// Dilation is not supported, as in PyTorch.
/// </summary>
public static class AvgPool2d
{
    /// <summary><c>input [P, H, W] → output [P, OutH, OutW]</c>; the output is overwritten.</summary>
    /// <param name="input">Input planes, <c>P·H·W</c> elements.</param>
    /// <param name="planes">Number of planes P.</param>
    /// <param name="g">The pooling geometry (dilation must be 1).</param>
    /// <param name="output">Pooled values, <c>P·OutH·OutW</c> elements.</param>
    public static void Forward<T>(ReadOnlySpan<T> input, int planes, in Pool2dGeometry g, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check("AvgPool2d.Forward", g, planes, input.Length, output.Length);
        int inPlane = g.InputPlaneSize, outPlane = g.OutputPlaneSize;
        if (g.IsTwoByTwo)
        {
            for (int p = 0; p < planes; p++)
                for (int i = 0; i < g.OutH; i++)
                    Row2x2(input.Slice(p * inPlane + 2 * i * g.W, 2 * g.W), g.W, output.Slice(p * outPlane + i * g.OutW, g.OutW));
            return;
        }

        T divisor = T.CreateChecked(g.KH * g.KW);
        for (int p = 0; p < planes; p++)
        {
            ReadOnlySpan<T> x = input.Slice(p * inPlane, inPlane);
            Span<T> y = output.Slice(p * outPlane, outPlane);
            for (int oh = 0; oh < g.OutH; oh++)
            {
                int h0 = oh * g.StrideH - g.PadH;
                int ihLo = Math.Max(h0, 0), ihHi = Math.Min(h0 + g.KH, g.H);
                for (int ow = 0; ow < g.OutW; ow++)
                {
                    int w0 = ow * g.StrideW - g.PadW;
                    int iwLo = Math.Max(w0, 0), iwHi = Math.Min(w0 + g.KW, g.W);
                    T sum = T.Zero;   // padded taps contribute zero
                    for (int ih = ihLo; ih < ihHi; ih++)
                        for (int iw = iwLo; iw < iwHi; iw++)
                            sum += x[ih * g.W + iw];
                    y[oh * g.OutW + ow] = sum / divisor;
                }
            }
        }
    }

    /// <summary>
    /// Spreads each output gradient evenly over its window: <c>gradInput[tap] += gradOutput / (KH·KW)</c> for
    /// every non-padding tap. It <b>adds</b> into <paramref name="gradInput"/>; pass a zeroed buffer to get the
    /// gradient alone.
    /// </summary>
    /// <param name="gradOutput">Output gradient, <c>P·OutH·OutW</c> elements.</param>
    /// <param name="planes">Number of planes P.</param>
    /// <param name="g">The pooling geometry (dilation must be 1).</param>
    /// <param name="gradInput">Input gradient accumulated into, <c>P·H·W</c> elements.</param>
    public static void Backward<T>(ReadOnlySpan<T> gradOutput, int planes, in Pool2dGeometry g, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check("AvgPool2d.Backward", g, planes, gradInput.Length, gradOutput.Length);
        int inPlane = g.InputPlaneSize, outPlane = g.OutputPlaneSize;
        if (g.IsTwoByTwo)
        {
            for (int p = 0; p < planes; p++)
                for (int i = 0; i < g.OutH; i++)
                    Row2x2Backward(gradOutput.Slice(p * outPlane + i * g.OutW, g.OutW), g.W,
                        gradInput.Slice(p * inPlane + 2 * i * g.W, 2 * g.W));
            return;
        }
        T divisor = T.CreateChecked(g.KH * g.KW);
        for (int p = 0; p < planes; p++)
        {
            Span<T> gx = gradInput.Slice(p * inPlane, inPlane);
            ReadOnlySpan<T> gy = gradOutput.Slice(p * outPlane, outPlane);
            for (int oh = 0; oh < g.OutH; oh++)
            {
                int h0 = oh * g.StrideH - g.PadH;
                int ihLo = Math.Max(h0, 0), ihHi = Math.Min(h0 + g.KH, g.H);
                for (int ow = 0; ow < g.OutW; ow++)
                {
                    int w0 = ow * g.StrideW - g.PadW;
                    int iwLo = Math.Max(w0, 0), iwHi = Math.Min(w0 + g.KW, g.W);
                    T share = gy[oh * g.OutW + ow] / divisor;
                    for (int ih = ihLo; ih < ihHi; ih++)
                    {
                        Span<T> row = gx.Slice(ih * g.W + iwLo, iwHi - iwLo);
                        for (int k = 0; k < row.Length; k++)
                            row[k] += share;
                    }
                }
            }
        }
    }

    private static void Check(string op, in Pool2dGeometry g, int planes, int inputLength, int outputLength)
    {
        g.EnsureInitialized(op);
        if (g.DilationH != 1 || g.DilationW != 1)
            throw new ArgumentException(
                $"{op}: dilation {ConvGeometry.Pair(g.DilationH, g.DilationW)} is not supported by average pooling (must be 1).");
        ConvGeometry.CheckNonNegative(op, "plane count", planes);
        ConvGeometry.CheckLength(op, op.EndsWith("Forward", StringComparison.Ordinal) ? "input" : "gradInput",
            inputLength, (long)planes * g.InputPlaneSize);
        ConvGeometry.CheckLength(op, op.EndsWith("Forward", StringComparison.Ordinal) ? "output" : "gradOutput",
            outputLength, (long)planes * g.OutputPlaneSize);
    }

    // One output row of the 2×2 / stride 2 case: rows = x[2i .. 2i+1, :] (2·W elements) -> y[i, :].
    // Sums in PyTorch's row-major order ((a + b) + c) + d; ×0.25 equals ÷4 exactly.
    private static void Row2x2<T>(ReadOnlySpan<T> rows, int w, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T r0 = ref MemoryMarshal.GetReference(rows);
        ref T r1 = ref Unsafe.Add(ref r0, w);
        ref T yo = ref MemoryMarshal.GetReference(y);
        int outW = y.Length, j = 0;
        if (typeof(T) == typeof(float) && Avx2.IsSupported && outW >= 8)
        {
            ref float f0 = ref Unsafe.As<T, float>(ref r0), f1 = ref Unsafe.As<T, float>(ref r1);
            ref float fy = ref Unsafe.As<T, float>(ref yo);
            // Overlapping last vector instead of a scalar tail (see MaxPool2x2); lanes come out [0,1,4,5|2,3,6,7].
            for (j = 0; j < outW; j += 8)
            {
                int jj = Math.Min(j, outW - 8), c = 2 * jj;
                Vector256<float> a0 = Vector256.LoadUnsafe(ref f0, (nuint)c), a1 = Vector256.LoadUnsafe(ref f0, (nuint)(c + 8));
                Vector256<float> b0 = Vector256.LoadUnsafe(ref f1, (nuint)c), b1 = Vector256.LoadUnsafe(ref f1, (nuint)(c + 8));
                Vector256<float> s = Avx.Shuffle(a0, a1, 0b10_00_10_00) + Avx.Shuffle(a0, a1, 0b11_01_11_01)
                    + Avx.Shuffle(b0, b1, 0b10_00_10_00) + Avx.Shuffle(b0, b1, 0b11_01_11_01);
                Avx2.Permute4x64((s * 0.25f).AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref fy, (nuint)jj);
            }
            return;
        }
        T quarter = T.CreateChecked(0.25);
        for (; j < outW; j++)
        {
            ref T a = ref Unsafe.Add(ref r0, 2 * j);
            ref T c = ref Unsafe.Add(ref r1, 2 * j);
            Unsafe.Add(ref yo, j) = (a + Unsafe.Add(ref a, 1) + c + Unsafe.Add(ref c, 1)) * quarter;
        }
    }

    // Backward of Row2x2: each output gradient, ÷4, is added to its four taps in rows 2i and 2i+1.
    private static void Row2x2Backward<T>(ReadOnlySpan<T> gy, int w, Span<T> rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T r0 = ref MemoryMarshal.GetReference(rows);
        ref T r1 = ref Unsafe.Add(ref r0, w);
        T quarter = T.CreateChecked(0.25);
        for (int j = 0; j < gy.Length; j++)
        {
            T share = gy[j] * quarter;
            Unsafe.Add(ref r0, 2 * j) += share;
            Unsafe.Add(ref r0, 2 * j + 1) += share;
            Unsafe.Add(ref r1, 2 * j) += share;
            Unsafe.Add(ref r1, 2 * j + 1) += share;
        }
    }
}

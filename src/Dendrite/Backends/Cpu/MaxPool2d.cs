using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// 2-D max pooling over contiguous <c>[P, H, W]</c> planes (P = N·C for an NCHW tensor), with the argmax
/// of every window recorded for the backward pass.
/// </summary>
/// <remarks>
/// Semantics follow PyTorch's CPU kernel: padding acts as −∞ (never selected), windows are scanned in
/// row-major order, a later element replaces the running maximum only when strictly greater (ties keep the
/// first), and a NaN always replaces it, so a window containing NaN yields NaN with the index of its last NaN.
/// </remarks>
public static class MaxPool2d
{
    /// <summary>
    /// <c>input [P, H, W] → output [P, OutH, OutW]</c>, plus <paramref name="indices"/> <c>[P, OutH, OutW]</c>
    /// holding each maximum's flat position <c>ih·W + iw</c> within its input plane (as PyTorch's
    /// <c>return_indices</c>). Both destinations are overwritten.
    /// </summary>
    /// <param name="input">Input planes, <c>P·H·W</c> elements.</param>
    /// <param name="planes">Number of planes P.</param>
    /// <param name="g">The pooling geometry.</param>
    /// <param name="output">Pooled values, <c>P·OutH·OutW</c> elements.</param>
    /// <param name="indices">Argmax positions within each plane, <c>P·OutH·OutW</c> elements.</param>
    public static void Forward<T>(ReadOnlySpan<T> input, int planes, in Pool2dGeometry g, Span<T> output, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string op = "MaxPool2d.Forward";
        g.EnsureInitialized(op);
        ConvGeometry.CheckNonNegative(op, "plane count", planes);
        ConvGeometry.CheckLength(op, "input", input.Length, (long)planes * g.InputPlaneSize);
        ConvGeometry.CheckLength(op, "output", output.Length, (long)planes * g.OutputPlaneSize);
        ConvGeometry.CheckLength(op, "indices", indices.Length, (long)planes * g.OutputPlaneSize);

        if (g.IsTwoByTwo)
        {
            MaxPool2x2.Forward(input, planes, g.H, g.W, output, indices);
            return;
        }
        int inPlane = g.InputPlaneSize, outPlane = g.OutputPlaneSize;
        for (int p = 0; p < planes; p++)
            ForwardPlane(input.Slice(p * inPlane, inPlane), g, output.Slice(p * outPlane, outPlane),
                indices.Slice(p * outPlane, outPlane));
    }

    /// <summary>
    /// Routes each output gradient to its window's argmax: <c>gradInput[p, indices[p, o]] += gradOutput[p, o]</c>.
    /// It <b>adds</b> into <paramref name="gradInput"/> (overlapping windows may share an argmax); pass a zeroed
    /// buffer to get the gradient alone. A negative index (a window lying entirely in padding, which the
    /// padding rule makes impossible without dilation) is skipped.
    /// </summary>
    /// <param name="gradOutput">Output gradient, <c>P·OutH·OutW</c> elements.</param>
    /// <param name="indices">Argmax positions from <see cref="Forward{T}"/>, <c>P·OutH·OutW</c> elements.</param>
    /// <param name="planes">Number of planes P.</param>
    /// <param name="g">The pooling geometry.</param>
    /// <param name="gradInput">Input gradient accumulated into, <c>P·H·W</c> elements.</param>
    public static void Backward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<int> indices, int planes, in Pool2dGeometry g,
        Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string op = "MaxPool2d.Backward";
        g.EnsureInitialized(op);
        ConvGeometry.CheckNonNegative(op, "plane count", planes);
        ConvGeometry.CheckLength(op, "gradOutput", gradOutput.Length, (long)planes * g.OutputPlaneSize);
        ConvGeometry.CheckLength(op, "indices", indices.Length, (long)planes * g.OutputPlaneSize);
        ConvGeometry.CheckLength(op, "gradInput", gradInput.Length, (long)planes * g.InputPlaneSize);

        int inPlane = g.InputPlaneSize, outPlane = g.OutputPlaneSize;
        for (int p = 0; p < planes; p++)
        {
            Span<T> gi = gradInput.Slice(p * inPlane, inPlane);
            ReadOnlySpan<T> go = gradOutput.Slice(p * outPlane, outPlane);
            ReadOnlySpan<int> ix = indices.Slice(p * outPlane, outPlane);
            for (int o = 0; o < go.Length; o++)
            {
                int i = ix[o];
                if (i >= 0)
                    gi[i] += go[o]; // bounds-checked: a corrupt index must not write outside the plane
            }
        }
    }

    // General case for one plane: [H, W] -> [OutH, OutW]. The valid taps of each window are found once per
    // row/column (ValidRange), so the inner loops never test for padding.
    private static void ForwardPlane<T>(ReadOnlySpan<T> x, in Pool2dGeometry g, Span<T> y, Span<int> idx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = g.W;
        ref T src = ref MemoryMarshal.GetReference(x);
        for (int oh = 0; oh < g.OutH; oh++)
        {
            int h0 = oh * g.StrideH - g.PadH;
            ConvGeometry.ValidRange(h0, g.DilationH, g.H, g.KH, out int khLo, out int khHi);
            for (int ow = 0; ow < g.OutW; ow++)
            {
                int w0 = ow * g.StrideW - g.PadW;
                ConvGeometry.ValidRange(w0, g.DilationW, w, g.KW, out int kwLo, out int kwHi);
                T best = T.NegativeInfinity;
                int bestAt = -1;
                if (khLo < khHi && kwLo < kwHi)
                {
                    // PyTorch starts from −∞ at the first valid tap, so an all −∞ window reports that tap.
                    bestAt = (h0 + khLo * g.DilationH) * w + w0 + kwLo * g.DilationW;
                    for (int kh = khLo; kh < khHi; kh++)
                    {
                        int rowAt = (h0 + kh * g.DilationH) * w + w0;
                        for (int kw = kwLo; kw < kwHi; kw++)
                        {
                            int at = rowAt + kw * g.DilationW;
                            T v = Unsafe.Add(ref src, at);
                            if (v > best || T.IsNaN(v))
                            {
                                best = v;
                                bestAt = at;
                            }
                        }
                    }
                }
                y[oh * g.OutW + ow] = best;
                idx[oh * g.OutW + ow] = bestAt;
            }
        }
    }
}

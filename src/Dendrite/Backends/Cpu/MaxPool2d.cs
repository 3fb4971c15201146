using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    // General case for one plane: [H, W] -> [OutH, OutW].
    //
    // Windows are evaluated a whole output row at a time: for each kernel tap (kh, kw), in row-major order,
    // every output of the row whose tap is inside the input folds that tap into its running maximum. Per
    // output this is exactly PyTorch's row-major scan, but the updates across a row are independent, so
    // they vectorise and do not serialise on the compare latency the way a per-window loop does. The
    // running argmax is kept as the tap number t = kh·KW + kw (in T lanes, exact for any kernel size),
    // with −1 meaning "no valid tap yet", and turned into a plane index once per output.
    private static void ForwardPlane<T>(ReadOnlySpan<T> x, in Pool2dGeometry g, Span<T> y, Span<int> idx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = g.W, outW = g.OutW, kw = g.KW, taps = g.KH * kw;
        Span<T> scratch = outW <= 256 ? stackalloc T[2 * outW] : new T[2 * outW];
        Span<T> gathered = scratch[..outW], tap = scratch[outW..];
        // Per kernel column k: the outputs [lo, hi) whose tap is inside the row (the same for every row),
        // and per tap number t: its offset from the window origin, so the argmax needs no division.
        Span<int> table = 2 * kw + taps <= 1024 ? stackalloc int[2 * kw + taps] : new int[2 * kw + taps];
        Span<int> ranges = table[..(2 * kw)], tapOffset = table[(2 * kw)..];
        for (int k = 0; k < kw; k++)
            ConvGeometry.ValidRange(k * g.DilationW - g.PadW, g.StrideW, w, outW, out ranges[2 * k], out ranges[2 * k + 1]);
        for (int t = 0; t < taps; t++)
            tapOffset[t] = t / kw * g.DilationH * w + t % kw * g.DilationW;

        for (int oh = 0; oh < g.OutH; oh++)
        {
            int h0 = oh * g.StrideH - g.PadH;
            ConvGeometry.ValidRange(h0, g.DilationH, g.H, g.KH, out int khLo, out int khHi);
            Span<T> best = y.Slice(oh * outW, outW);
            best.Fill(T.NegativeInfinity);
            tap.Fill(T.NegativeOne);
            for (int kh = khLo; kh < khHi; kh++)
            {
                ReadOnlySpan<T> row = x.Slice((h0 + kh * g.DilationH) * w, w);
                for (int k = 0; k < kw; k++)
                {
                    int lo = ranges[2 * k], hi = ranges[2 * k + 1];
                    if (lo < hi)
                        Fold(best[lo..hi], tap[lo..hi],
                            StridedRow.Taps(row, lo, hi, g.StrideW, k * g.DilationW - g.PadW, gathered),
                            T.CreateTruncating(kh * kw + k));
                }
            }
            Span<int> at = idx.Slice(oh * outW, outW);
            int origin = h0 * w - g.PadW; // plane index of tap (0, 0) of output column 0
            for (int ow = 0; ow < outW; ow++)
            {
                int t = int.CreateTruncating(tap[ow]);
                at[ow] = t < 0 ? -1 : origin + ow * g.StrideW + tapOffset[t];
            }
        }
    }

    // best, tap <- v, t wherever v > best, v is NaN, or no tap has been seen yet (PyTorch's rule, with the
    // first valid tap taken even when it is −∞). The update is idempotent (a second fold of the same v, t
    // changes nothing), so the last vector may overlap the previous one instead of needing a scalar tail.
    private static void Fold<T>(Span<T> best, Span<T> tap, ReadOnlySpan<T> v, T t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = best.Length;
        ref T b = ref MemoryMarshal.GetReference(best);
        ref T p = ref MemoryMarshal.GetReference(tap);
        ref T s = ref MemoryMarshal.GetReference(v);
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && n >= Vector256<T>.Count)
        {
            var tv = Vector256.Create(t);
            for (int i = 0; i < n; i += Vector256<T>.Count)
            {
                nuint j = (nuint)Math.Min(i, n - Vector256<T>.Count);
                Vector256<T> vi = Vector256.LoadUnsafe(ref s, j), bi = Vector256.LoadUnsafe(ref b, j), pi = Vector256.LoadUnsafe(ref p, j);
                Vector256<T> take = Vector256.GreaterThan(vi, bi) | ~Vector256.Equals(vi, vi) | Vector256.LessThan(pi, Vector256<T>.Zero);
                Vector256.ConditionalSelect(take, vi, bi).StoreUnsafe(ref b, j);
                Vector256.ConditionalSelect(take, tv, pi).StoreUnsafe(ref p, j);
            }
        }
        else if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && n >= Vector128<T>.Count)
        {
            var tv = Vector128.Create(t);
            for (int i = 0; i < n; i += Vector128<T>.Count)
            {
                nuint j = (nuint)Math.Min(i, n - Vector128<T>.Count);
                Vector128<T> vi = Vector128.LoadUnsafe(ref s, j), bi = Vector128.LoadUnsafe(ref b, j), pi = Vector128.LoadUnsafe(ref p, j);
                Vector128<T> take = Vector128.GreaterThan(vi, bi) | ~Vector128.Equals(vi, vi) | Vector128.LessThan(pi, Vector128<T>.Zero);
                Vector128.ConditionalSelect(take, vi, bi).StoreUnsafe(ref b, j);
                Vector128.ConditionalSelect(take, tv, pi).StoreUnsafe(ref p, j);
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                T vi = Unsafe.Add(ref s, i);
                ref T bi = ref Unsafe.Add(ref b, i);
                ref T pi = ref Unsafe.Add(ref p, i);
                bool take = vi > bi || T.IsNaN(vi) || T.IsNegative(pi);
                bi = take ? vi : bi;
                pi = take ? t : pi;
            }
        }
    }
}

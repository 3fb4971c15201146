namespace Dendrite;

/// <summary>
/// Output-size arithmetic and validation shared by convolution and pooling.
/// </summary>
/// <remarks>
/// A window of <c>kernel</c> taps spaced <c>dilation</c> apart spans
/// <c>dilation·(kernel−1)+1</c> input elements; sliding it by <c>stride</c> over an input padded by
/// <c>padding</c> on both sides fits <c>floor((input + 2·padding − dilation·(kernel−1) − 1) / stride) + 1</c>
/// times (PyTorch's floor mode).
/// </remarks>
public static class ConvGeometry
{
    /// <summary>
    /// The output length along one spatial axis (floor mode), after validating the arguments.
    /// </summary>
    /// <param name="input">Input length (at least 1).</param>
    /// <param name="kernel">Kernel taps (at least 1).</param>
    /// <param name="stride">Stride (at least 1).</param>
    /// <param name="padding">Zero padding added on both sides (at least 0).</param>
    /// <param name="dilation">Spacing between kernel taps (at least 1).</param>
    /// <param name="op">Operation name used in error messages.</param>
    /// <exception cref="ArgumentException">An argument is out of range or the kernel does not fit.</exception>
    public static int OutputSize(int input, int kernel, int stride = 1, int padding = 0, int dilation = 1, string op = "Conv")
    {
        CheckPositive(op, "input size", input);
        CheckPositive(op, "kernel size", kernel);
        CheckPositive(op, "stride", stride);
        CheckPositive(op, "dilation", dilation);
        CheckNonNegative(op, "padding", padding);
        long span = (long)dilation * (kernel - 1) + 1;
        long room = (long)input + 2L * padding - span;
        if (room < 0)
            throw new ArgumentException(
                $"{op}: kernel {kernel} (dilation {dilation}) does not fit input {input} with padding {padding}.");
        return checked((int)(room / stride + 1));
    }

    /// <summary>
    /// The output length along one spatial axis for pooling: <see cref="OutputSize"/> plus PyTorch's rule
    /// that padding may be at most half the kernel (so every window overlaps the real input).
    /// </summary>
    /// <param name="input">Input length (at least 1).</param>
    /// <param name="kernel">Window size (at least 1).</param>
    /// <param name="stride">Stride (at least 1).</param>
    /// <param name="padding">Implicit padding on both sides, at most <c>kernel / 2</c>.</param>
    /// <param name="dilation">Spacing between window taps (at least 1).</param>
    /// <param name="op">Operation name used in error messages.</param>
    /// <exception cref="ArgumentException">An argument is out of range or the window does not fit.</exception>
    public static int PoolOutputSize(int input, int kernel, int stride, int padding = 0, int dilation = 1, string op = "Pool2d")
    {
        int size = OutputSize(input, kernel, stride, padding, dilation, op);
        if (padding > kernel / 2)
            throw new ArgumentException(
                $"{op}: padding {padding} must be at most half the kernel size {kernel} (pad <= kernel/2).");
        return size;
    }

    /// <summary>
    /// Validates a 2-D window geometry and returns the output height and width; messages name both axes,
    /// e.g. "Conv2d: kernel 5x5 (dilation 1) does not fit input 3x3 with padding 0".
    /// </summary>
    internal static (int OutH, int OutW) Validate2d(
        string op, int h, int w, int kh, int kw, int strideH, int strideW,
        int padH, int padW, int dilationH, int dilationW)
    {
        CheckPositive(op, "input height", h);
        CheckPositive(op, "input width", w);
        CheckPositive(op, "kernel height", kh);
        CheckPositive(op, "kernel width", kw);
        CheckPositive(op, "stride height", strideH);
        CheckPositive(op, "stride width", strideW);
        CheckPositive(op, "dilation height", dilationH);
        CheckPositive(op, "dilation width", dilationW);
        CheckNonNegative(op, "padding height", padH);
        CheckNonNegative(op, "padding width", padW);
        long roomH = (long)h + 2L * padH - ((long)dilationH * (kh - 1) + 1);
        long roomW = (long)w + 2L * padW - ((long)dilationW * (kw - 1) + 1);
        if (roomH < 0 || roomW < 0)
            throw new ArgumentException(
                $"{op}: kernel {kh}x{kw} (dilation {Pair(dilationH, dilationW)}) does not fit input {h}x{w} " +
                $"with padding {Pair(padH, padW)}.");
        return (checked((int)(roomH / strideH + 1)), checked((int)(roomW / strideW + 1)));
    }

    /// <summary>"2" when both values agree, "2x3" otherwise.</summary>
    internal static string Pair(int a, int b) => a == b ? $"{a}" : $"{a}x{b}";

    /// <summary>
    /// The outputs <c>o</c> in <c>[lo, hi)</c> ⊆ <c>[0, outSize)</c> whose tap <c>o·stride + offset</c> lands inside
    /// <c>[0, size)</c>; outside that range the tap reads padding. Used by every kernel to split rows into
    /// a padded head, a dense middle and a padded tail instead of testing bounds per element.
    /// </summary>
    internal static void ValidRange(int offset, int stride, int size, int outSize, out int lo, out int hi)
    {
        // o·s + off >= 0  <=>  o >= ceil(-off / s);   o·s + off <= size-1  <=>  o <= floor((size-1-off) / s)
        lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int last = size - 1 - offset;
        hi = last < 0 ? 0 : Math.Min(outSize, last / stride + 1);
        if (lo > hi)
            lo = hi;
    }

    internal static void CheckPositive(string op, string what, int value)
    {
        if (value < 1)
            throw new ArgumentException($"{op}: {what} must be at least 1, got {value}.");
    }

    internal static void CheckNonNegative(string op, string what, int value)
    {
        if (value < 0)
            throw new ArgumentException($"{op}: {what} must be non-negative, got {value}.");
    }

    /// <summary>Throws unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    internal static void CheckLength(string op, string what, int actual, long expected)
    {
        if (actual != expected)
            throw new ArgumentException($"{op}: {what} has {actual} elements, expected {expected}.");
    }
}

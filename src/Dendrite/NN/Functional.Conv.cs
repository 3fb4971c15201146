using Dendrite.Ops;

namespace Dendrite.NN;

public static partial class F
{
    /// <summary>
    /// 2-D convolution (cross-correlation) of <paramref name="input"/> [N, C, H, W] with <paramref name="weight"/>
    /// [O, C/groups, KH, KW] and optional <paramref name="bias"/> [O], giving [N, O, OutH, OutW] with
    /// OutH = floor((H + 2·padding − dilation·(KH − 1) − 1)/stride) + 1 (likewise OutW).
    /// </summary>
    /// <param name="input">Input images [N, C, H, W].</param>
    /// <param name="weight">Filters [O, C/groups, KH, KW].</param>
    /// <param name="bias">Optional per-output-channel bias [O].</param>
    /// <param name="stride">Step between windows, both axes.</param>
    /// <param name="padding">Zero padding on each side, both axes.</param>
    /// <param name="dilation">Spacing between kernel taps, both axes.</param>
    /// <param name="groups">Number of channel groups; C and O must both be divisible by it.</param>
    /// <exception cref="ArgumentException">Shapes, channel counts or the geometry do not fit.</exception>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0,
        int dilation = 1, int groups = 1) =>
        Conv2d(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>
    /// 2-D convolution with separate vertical and horizontal stride, padding and dilation (see the
    /// <see cref="Conv2d(Tensor, Tensor, Tensor?, int, int, int, int)"/> overload).
    /// </summary>
    /// <param name="input">Input images [N, C, H, W].</param>
    /// <param name="weight">Filters [O, C/groups, KH, KW].</param>
    /// <param name="bias">Optional per-output-channel bias [O].</param>
    /// <param name="stride">(vertical, horizontal) step between windows.</param>
    /// <param name="padding">(vertical, horizontal) zero padding on each side; default none.</param>
    /// <param name="dilation">(vertical, horizontal) spacing between kernel taps; default (1, 1).</param>
    /// <param name="groups">Number of channel groups.</param>
    /// <exception cref="ArgumentException">Shapes, channel counts or the geometry do not fit.</exception>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding = default,
        (int H, int W)? dilation = null, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        return Conv2dOp.Apply(input, weight, bias, stride, padding, dilation ?? (1, 1), groups);
    }

    /// <summary>
    /// 2-D max pooling over [N, C, H, W] (or [C, H, W]) with a square window: padding counts as −∞, output sizes
    /// round down, and the gradient flows to each window's maximum.
    /// </summary>
    /// <param name="input">Input [N, C, H, W] or [C, H, W].</param>
    /// <param name="kernelSize">Window size.</param>
    /// <param name="stride">Step between windows; defaults to <paramref name="kernelSize"/>.</param>
    /// <param name="padding">Implicit −∞ padding on each side, at most half the window.</param>
    /// <param name="dilation">Spacing between window taps.</param>
    public static Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1)
    {
        int s = stride ?? kernelSize;
        return MaxPool2d(input, (kernelSize, kernelSize), (s, s), (padding, padding), (dilation, dilation));
    }

    /// <summary>2-D max pooling with separate vertical and horizontal sizes (see the square-window overload).</summary>
    /// <param name="input">Input [N, C, H, W] or [C, H, W].</param>
    /// <param name="kernelSize">(height, width) of the window.</param>
    /// <param name="stride">(vertical, horizontal) step; defaults to <paramref name="kernelSize"/>.</param>
    /// <param name="padding">(vertical, horizontal) implicit −∞ padding.</param>
    /// <param name="dilation">(vertical, horizontal) spacing between window taps; default (1, 1).</param>
    public static Tensor MaxPool2d(Tensor input, (int H, int W) kernelSize, (int H, int W)? stride = null,
        (int H, int W) padding = default, (int H, int W)? dilation = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return MaxPool2dOp.Apply(input, kernelSize, stride ?? kernelSize, padding, dilation ?? (1, 1));
    }

    /// <summary>
    /// 2-D average pooling over [N, C, H, W] (or [C, H, W]) with a square window; zero padding counts in the divisor
    /// (PyTorch's count_include_pad = true) and output sizes round down.
    /// </summary>
    /// <param name="input">Input [N, C, H, W] or [C, H, W].</param>
    /// <param name="kernelSize">Window size.</param>
    /// <param name="stride">Step between windows; defaults to <paramref name="kernelSize"/>.</param>
    /// <param name="padding">Zero padding on each side, at most half the window.</param>
    public static Tensor AvgPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0)
    {
        int s = stride ?? kernelSize;
        return AvgPool2d(input, (kernelSize, kernelSize), (s, s), (padding, padding));
    }

    /// <summary>2-D average pooling with separate vertical and horizontal sizes (see the square-window overload).</summary>
    /// <param name="input">Input [N, C, H, W] or [C, H, W].</param>
    /// <param name="kernelSize">(height, width) of the window.</param>
    /// <param name="stride">(vertical, horizontal) step; defaults to <paramref name="kernelSize"/>.</param>
    /// <param name="padding">(vertical, horizontal) zero padding.</param>
    public static Tensor AvgPool2d(Tensor input, (int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W) padding = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AvgPool2dOp.Apply(input, kernelSize, stride ?? kernelSize, padding);
    }

    /// <summary>
    /// Adaptive 2-D average pooling to a square output: output cell i averages input rows
    /// [floor(i·H/out), ceil((i+1)·H/out)) and the matching columns.
    /// </summary>
    /// <param name="input">Input [N, C, H, W] or [C, H, W].</param>
    /// <param name="outputSize">Output height and width.</param>
    public static Tensor AdaptiveAvgPool2d(Tensor input, int outputSize) => AdaptiveAvgPool2d(input, (outputSize, outputSize));

    /// <summary>Adaptive 2-D average pooling to an (height, width) output (see the square overload).</summary>
    /// <param name="input">Input [N, C, H, W] or [C, H, W].</param>
    /// <param name="outputSize">(height, width) of the output.</param>
    public static Tensor AdaptiveAvgPool2d(Tensor input, (int H, int W) outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveAvgPool2dOp.Apply(input, outputSize.H, outputSize.W);
    }
}

namespace Dendrite.NN;

/// <summary>2-D max pooling (like <c>torch.nn.MaxPool2d</c>); padding counts as −∞ and output sizes round down.</summary>
public sealed class MaxPool2d : Module
{
    /// <summary>A square window; <paramref name="stride"/> defaults to the window size.</summary>
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1)
        : this((kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding), (dilation, dilation))
    {
    }

    /// <summary>A (height, width) window.</summary>
    public MaxPool2d((int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W) padding = default, (int H, int W)? dilation = null)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
        Dilation = dilation ?? (1, 1);
    }

    /// <summary>Window (height, width).</summary>
    public (int H, int W) KernelSize { get; }

    /// <summary>(vertical, horizontal) step.</summary>
    public (int H, int W) Stride { get; }

    /// <summary>(vertical, horizontal) padding.</summary>
    public (int H, int W) Padding { get; }

    /// <summary>(vertical, horizontal) dilation.</summary>
    public (int H, int W) Dilation { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.MaxPool2d(input, KernelSize, Stride, Padding, Dilation);

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"kernel_size={PoolRepr.Size(KernelSize)}, stride={PoolRepr.Size(Stride)}, padding={PoolRepr.Size(Padding)}, dilation={PoolRepr.Size(Dilation)}, ceil_mode=False";
}

/// <summary>2-D average pooling (like <c>torch.nn.AvgPool2d</c>); zero padding counts in the divisor.</summary>
public sealed class AvgPool2d : Module
{
    /// <summary>A square window; <paramref name="stride"/> defaults to the window size.</summary>
    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0)
        : this((kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding))
    {
    }

    /// <summary>A (height, width) window.</summary>
    public AvgPool2d((int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W) padding = default)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
    }

    /// <summary>Window (height, width).</summary>
    public (int H, int W) KernelSize { get; }

    /// <summary>(vertical, horizontal) step.</summary>
    public (int H, int W) Stride { get; }

    /// <summary>(vertical, horizontal) padding.</summary>
    public (int H, int W) Padding { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.AvgPool2d(input, KernelSize, Stride, Padding);

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"kernel_size={PoolRepr.Size(KernelSize)}, stride={PoolRepr.Size(Stride)}, padding={PoolRepr.Size(Padding)}";
}

/// <summary>Average pooling to a fixed output size whatever the input size (like <c>torch.nn.AdaptiveAvgPool2d</c>).</summary>
public sealed class AdaptiveAvgPool2d : Module
{
    /// <summary>A square output.</summary>
    public AdaptiveAvgPool2d(int outputSize)
        : this((outputSize, outputSize))
    {
    }

    /// <summary>A (height, width) output.</summary>
    public AdaptiveAvgPool2d((int H, int W) outputSize)
    {
        if (outputSize.H <= 0 || outputSize.W <= 0)
            throw new ArgumentException($"AdaptiveAvgPool2d: output size must be positive, got ({outputSize.H}, {outputSize.W}).");
        OutputSize = outputSize;
    }

    /// <summary>Output (height, width).</summary>
    public (int H, int W) OutputSize { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.AdaptiveAvgPool2d(input, OutputSize);

    /// <inheritdoc/>
    protected override string ExtraRepr() => "output_size=" + PoolRepr.Size(OutputSize);
}

internal static class PoolRepr
{
    // PyTorch prints the value as the user gave it; a square size prints as one int.
    public static string Size((int H, int W) v) => v.H == v.W ? PyRepr.Int(v.H) : Conv2d.Pair(v);
}

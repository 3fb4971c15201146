namespace Dendrite.NN;

/// <summary>
/// A 2-D convolution layer (like <c>torch.nn.Conv2d</c>): input [N, C, H, W], weight [out, in/groups, kh, kw],
/// bias [out]. Initialization is PyTorch's default: weight and bias uniform in ±1/√fan_in with
/// fan_in = in/groups·kh·kw, drawn from <c>generator</c> (default <see cref="Generator.Default"/>), weight first.
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates a layer with a square kernel and equal stride, padding and dilation on both axes.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1,
        bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), groups, bias, dtype, generator)
    {
    }

    /// <summary>Creates a layer with separate (height, width) kernel size, stride, padding and dilation.</summary>
    public Conv2d(int inChannels, int outChannels, (int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W) padding = default,
        (int H, int W)? dilation = null, int groups = 1, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (inChannels <= 0 || outChannels <= 0)
            throw new ArgumentException($"Conv2d: channel counts must be positive, got inChannels={inChannels}, outChannels={outChannels}.");
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Conv2d: inChannels ({inChannels}) and outChannels ({outChannels}) must both be divisible by groups ({groups}).");
        if (kernelSize.H <= 0 || kernelSize.W <= 0)
            throw new ArgumentException($"Conv2d: kernel size must be positive, got ({kernelSize.H}, {kernelSize.W}).");
        if (!dtype.IsFloatingPoint())
            throw new ArgumentException($"Conv2d: dtype must be floating-point, got {dtype}.");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride ?? (1, 1);
        Padding = padding;
        Dilation = dilation ?? (1, 1);
        Groups = groups;
        RegisterParameter("weight", Tensor.Empty([outChannels, inChannels / groups, kernelSize.H, kernelSize.W], dtype));
        RegisterParameter("bias", bias ? Tensor.Empty([outChannels], dtype) : null);
        ResetParameters(generator);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel (height, width).</summary>
    public (int H, int W) KernelSize { get; }

    /// <summary>(vertical, horizontal) stride.</summary>
    public (int H, int W) Stride { get; }

    /// <summary>(vertical, horizontal) zero padding.</summary>
    public (int H, int W) Padding { get; }

    /// <summary>(vertical, horizontal) dilation.</summary>
    public (int H, int W) Dilation { get; }

    /// <summary>Number of channel groups.</summary>
    public int Groups { get; }

    /// <summary>The filters, [out, in/groups, kh, kw].</summary>
    /// <remarks>Settable, like PyTorch's <c>layer.weight = nn.Parameter(t)</c>: see <see cref="Module.SetParameter"/>.</remarks>
    public Tensor Weight
    {
        get => OwnParameter("weight")!;
        set => SetParameter("weight", value);
    }

    /// <summary>The bias, [out], or null.</summary>
    /// <remarks>Settable like <see cref="Weight"/>; null removes the bias (PyTorch's <c>layer.bias = None</c>).</remarks>
    public Tensor? Bias
    {
        get => OwnParameter("bias");
        set => SetOwnParameter("bias", value);
    }

    /// <summary>Re-draws weight and bias from U(±1/√fan_in).</summary>
    public void ResetParameters(Generator? generator = null)
    {
        // kaiming_uniform(a=√5) is U(±1/√fan_in); the bound is computed directly so draws match bit for bit.
        double bound = 1.0 / Math.Sqrt(InChannels / Groups * KernelSize.H * KernelSize.W);
        Init.Uniform_(Weight, -bound, bound, generator);
        if (Bias is not null)
            Init.Uniform_(Bias, -bound, bound, generator);
    }

    /// <summary>[N, in, H, W] → [N, out, OutH, OutW].</summary>
    public override Tensor Forward(Tensor input) => F.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        var s = $"{InChannels}, {OutChannels}, kernel_size={Pair(KernelSize)}, stride={Pair(Stride)}";
        if (Padding != (0, 0))
            s += $", padding={Pair(Padding)}";
        if (Dilation != (1, 1))
            s += $", dilation={Pair(Dilation)}";
        if (Groups != 1)
            s += $", groups={Groups}";
        if (Bias is null)
            s += ", bias=False";
        return s;
    }

    internal static string Pair((int H, int W) v) => PyRepr.Tuple([v.H, v.W]);
}

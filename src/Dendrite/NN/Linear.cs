namespace Dendrite.NN;

/// <summary>
/// A fully connected layer, y = x·Wᵀ + b (like <c>torch.nn.Linear</c>), with weight [out, in] and bias [out].
/// Initialization is PyTorch's default: weight and bias uniform in ±1/√inFeatures (Kaiming-uniform with a = √5),
/// drawn from <c>generator</c> (default <see cref="Generator.Default"/>), weight first, row-major, then bias.
/// </summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer and initializes it.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (inFeatures < 0 || outFeatures < 0)
            throw new ArgumentException($"Linear: feature counts must be non-negative, got inFeatures={inFeatures}, outFeatures={outFeatures}.");
        if (!dtype.IsFloatingPoint())
            throw new ArgumentException($"Linear: dtype must be floating-point, got {dtype}.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        RegisterParameter("weight", Tensor.Empty([outFeatures, inFeatures], dtype));
        RegisterParameter("bias", bias ? Tensor.Empty([outFeatures], dtype) : null);
        ResetParameters(generator);
    }

    /// <summary>Number of input features.</summary>
    public int InFeatures { get; }

    /// <summary>Number of output features.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight, [out, in].</summary>
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

    /// <summary>Re-draws weight and bias from U(±1/√inFeatures).</summary>
    public void ResetParameters(Generator? generator = null)
    {
        // kaiming_uniform(a=√5) has bound √3·√(2/(1+5))/√fan_in = 1/√fan_in; computed directly so draws match bit for bit.
        double bound = InFeatures > 0 ? 1.0 / Math.Sqrt(InFeatures) : 0;
        Init.Uniform_(Weight, -bound, bound, generator);
        if (Bias is not null)
            Init.Uniform_(Bias, -bound, bound, generator);
    }

    /// <summary>[..., in] → [..., out].</summary>
    public override Tensor Forward(Tensor input) => input.Linear(Weight, Bias);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={PyRepr.Bool(Bias is not null)}";
}

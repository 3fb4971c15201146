namespace Dendrite.NN;

/// <summary>max(0, x) elementwise (like <c>torch.nn.ReLU</c>).</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>x for x ≥ 0, negativeSlope·x otherwise (like <c>torch.nn.LeakyReLU</c>).</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);

    /// <inheritdoc/>
    protected override string ExtraRepr() => "negative_slope=" + PyRepr.Float(NegativeSlope);
}

/// <summary>x for x &gt; 0, alpha·(eˣ − 1) otherwise (like <c>torch.nn.ELU</c>).</summary>
public sealed class ELU(double alpha = 1.0) : Module
{
    /// <summary>The saturation value for negative inputs.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Elu(Alpha);

    /// <inheritdoc/>
    protected override string ExtraRepr() => "alpha=" + PyRepr.Float(Alpha);
}

/// <summary>x·Φ(x), the exact (erf) form (like <c>torch.nn.GELU</c>).</summary>
public sealed class GELU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Gelu();

    /// <inheritdoc/>
    protected override string ExtraRepr() => "approximate='none'";
}

/// <summary>1 / (1 + e⁻ˣ) elementwise (like <c>torch.nn.Sigmoid</c>).</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>tanh(x) elementwise (like <c>torch.nn.Tanh</c>).</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>ln(1 + eˣ) with beta 1 and threshold 20 (like <c>torch.nn.Softplus</c>).</summary>
public sealed class Softplus : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Softplus();

    /// <inheritdoc/>
    protected override string ExtraRepr() => "beta=1, threshold=20";
}

namespace Dendrite.NN;

/// <summary>Softmax over <see cref="Dim"/> (like <c>torch.nn.Softmax</c>).</summary>
public sealed class Softmax(int dim) : Module
{
    /// <summary>The dimension that sums to 1.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Softmax(Dim);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={Dim}";
}

/// <summary>Log-softmax over <see cref="Dim"/>, computed stably (like <c>torch.nn.LogSoftmax</c>).</summary>
public sealed class LogSoftmax(int dim) : Module
{
    /// <summary>The dimension normalized over.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LogSoftmax(Dim);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={Dim}";
}

namespace Dendrite.NN;

/// <summary>
/// Layer normalization over the trailing dimensions <see cref="NormalizedShape"/> (like <c>torch.nn.LayerNorm</c>),
/// with learnable elementwise <c>weight</c> (ones) and <c>bias</c> (zeros) of that shape.
/// </summary>
public sealed class LayerNorm : Module
{
    private readonly int[] _shape;

    /// <summary>Normalizes over the last dimension of size <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, DType dtype = DType.Float32)
        : this([normalizedShape], eps, elementwiseAffine, dtype)
    {
    }

    /// <summary>Normalizes over the trailing dimensions <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || normalizedShape.Any(d => d <= 0))
            throw new ArgumentException($"LayerNorm: normalizedShape must be non-empty with positive sizes, got {ShapeUtil.Format(normalizedShape)}.");
        _shape = [.. normalizedShape];
        Eps = eps;
        RegisterParameter("weight", elementwiseAffine ? Tensor.Ones(_shape, dtype) : null);
        RegisterParameter("bias", elementwiseAffine ? Tensor.Zeros(_shape, dtype) : null);
    }

    /// <summary>The trailing dimensions normalized over.</summary>
    public IReadOnlyList<int> NormalizedShape => _shape;

    /// <summary>Added to the variance for numerical stability.</summary>
    public double Eps { get; }

    /// <summary>Elementwise scale, or null.</summary>
    public Tensor? Weight => OwnParameter("weight");

    /// <summary>Elementwise shift, or null.</summary>
    public Tensor? Bias => OwnParameter("bias");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.LayerNorm(input, _shape, Weight, Bias, Eps);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{PyRepr.Tuple(_shape)}, eps={PyRepr.Float(Eps)}, elementwise_affine={PyRepr.Bool(Weight is not null)}";
}

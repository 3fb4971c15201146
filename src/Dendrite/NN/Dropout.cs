namespace Dendrite.NN;

/// <summary>
/// Zeroes each element with probability <see cref="P"/> in training mode and scales the rest by 1/(1 − p), so the
/// expected value is unchanged (like <c>torch.nn.Dropout</c>); the identity in evaluation mode.
/// </summary>
public sealed class Dropout : Module
{
    private readonly Generator? _generator;

    /// <summary>Creates the layer; the mask is drawn from <paramref name="generator"/> (default <see cref="Generator.Default"/>).</summary>
    public Dropout(double p = 0.5, Generator? generator = null)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"Dropout: probability p must be in [0, 1], got {p}.");
        P = p;
        _generator = generator;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Dropout(input, P, IsTraining, _generator);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"p={PyRepr.Float(P)}, inplace=False";
}

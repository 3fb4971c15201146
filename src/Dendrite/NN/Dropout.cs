namespace Dendrite.NN;

/// <summary>
/// Zeroes each element with probability <see cref="P"/> in training mode. The inverted form (the default, like
/// <c>torch.nn.Dropout</c>) scales the rest by 1/(1 − p) and is the identity in evaluation mode; the original,
/// non-inverted form (<see cref="Inverted"/> false) keeps the rest unscaled and multiplies by 1 − p in evaluation mode.
/// Either way the expected training output equals the evaluation output.
/// </summary>
public sealed class Dropout : Module
{
    private readonly Generator? _generator;

    /// <summary>
    /// Creates the layer; the mask is drawn from <paramref name="generator"/> (default <see cref="Generator.Default"/>);
    /// <paramref name="inverted"/> false selects the non-inverted form.
    /// </summary>
    public Dropout(double p = 0.5, Generator? generator = null, bool inverted = true)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"Dropout: probability p must be in [0, 1], got {p}.");
        P = p;
        Inverted = inverted;
        _generator = generator;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; }

    /// <summary>
    /// True for inverted dropout (kept elements scaled by 1/(1 − p) in training, identity in evaluation); false for the
    /// original form (kept elements unscaled in training, everything multiplied by 1 − p in evaluation).
    /// </summary>
    public bool Inverted { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Dropout(input, P, IsTraining, _generator, Inverted);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"p={PyRepr.Float(P)}, inplace=False" + (Inverted ? "" : ", inverted=False");
}

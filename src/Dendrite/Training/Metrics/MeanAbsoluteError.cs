namespace Dendrite.Training.Metrics;

/// <summary>Mean of absolute differences over all elements seen.</summary>
public sealed class MeanAbsoluteError : ElementwiseError
{
    /// <inheritdoc/>
    public override string Name => "mae";

    private protected override double Error(double diff) => Math.Abs(diff);
}

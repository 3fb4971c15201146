namespace Dendrite.Training.Metrics;

/// <summary>Mean of squared differences over all elements seen.</summary>
public sealed class MeanSquaredError : ElementwiseError
{
    /// <inheritdoc/>
    public override string Name => "mse";

    private protected override double Error(double diff) => diff * diff;
}

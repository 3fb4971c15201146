namespace Dendrite.Training.Metrics;

/// <summary>Precision: true positives over predicted positives, per class, averaged (0 for a class never predicted).</summary>
public sealed class Precision(int numClasses, ClassAverage average = ClassAverage.Macro, double threshold = 0.5, bool fromLogits = false)
    : ClassScoreMetric(numClasses, average, threshold, fromLogits)
{
    /// <inheritdoc/>
    public override string Name => "precision";

    private protected override double Pick((double Precision, double Recall, double F1, bool Present) s) => s.Precision;
}

namespace Dendrite.Training.Metrics;

/// <summary>Recall: true positives over actual positives, per class, averaged.</summary>
public sealed class Recall(int numClasses, ClassAverage average = ClassAverage.Macro, double threshold = 0.5, bool fromLogits = false)
    : ClassScoreMetric(numClasses, average, threshold, fromLogits)
{
    /// <inheritdoc/>
    public override string Name => "recall";

    private protected override double Pick((double Precision, double Recall, double F1, bool Present) s) => s.Recall;
}

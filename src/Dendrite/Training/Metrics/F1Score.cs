namespace Dendrite.Training.Metrics;

/// <summary>F1: the harmonic mean of each class's precision and recall, averaged over classes.</summary>
public sealed class F1Score(int numClasses, ClassAverage average = ClassAverage.Macro, double threshold = 0.5, bool fromLogits = false)
    : ClassScoreMetric(numClasses, average, threshold, fromLogits)
{
    /// <inheritdoc/>
    public override string Name => "f1";

    private protected override double Pick((double Precision, double Recall, double F1, bool Present) s) => s.F1;
}

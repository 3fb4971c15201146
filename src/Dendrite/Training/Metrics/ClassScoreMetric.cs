using System.Text.Json.Nodes;

namespace Dendrite.Training.Metrics;

/// <summary>Shared implementation of precision, recall and F1 over a streaming confusion matrix.</summary>
public abstract class ClassScoreMetric : IStatefulMetric
{
    private readonly ConfusionMatrix _matrix;
    private readonly ClassAverage _average;

    /// <summary>A score over <paramref name="numClasses"/> classes (2 for binary outputs).</summary>
    private protected ClassScoreMetric(int numClasses, ClassAverage average, double threshold, bool fromLogits)
    {
        if (average == ClassAverage.Binary && numClasses != 2)
            throw new ArgumentException($"{GetType().Name}: the binary average needs 2 classes, got {numClasses}.");
        _matrix = new ConfusionMatrix(numClasses, threshold, fromLogits);
        _average = average;
    }

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public bool HigherIsBetter => true;

    /// <summary>The confusion matrix the score is computed from.</summary>
    public ConfusionMatrix Matrix => _matrix;

    private protected abstract double Pick((double Precision, double Recall, double F1, bool Present) scores);

    /// <inheritdoc/>
    public void Update(Tensor prediction, Tensor target) => _matrix.Update(prediction, target);

    /// <inheritdoc/>
    public double Compute()
    {
        if (_matrix.Total == 0)
            return double.NaN;
        if (_average == ClassAverage.Binary)
            return Pick(_matrix.ClassScores(1));
        double sum = 0;
        int count = 0;
        for (int c = 0; c < _matrix.NumClasses; c++)
        {
            var s = _matrix.ClassScores(c);
            if (!s.Present)
                continue;
            sum += Pick(s);
            count++;
        }
        return sum / count;
    }

    /// <inheritdoc/>
    public void Reset() => _matrix.Reset();

    /// <inheritdoc/>
    public JsonNode SaveState() => _matrix.SaveState();

    /// <inheritdoc/>
    public void LoadState(JsonNode state) => _matrix.LoadState(state);
}

namespace Dendrite.Training.Metrics;

/// <summary>
/// A streaming evaluation metric: <see cref="Update"/> accumulates counts or sums over batches and
/// <see cref="Compute"/> gives the value over everything seen since <see cref="Reset"/> (not a mean of batch values).
/// </summary>
public interface IMetric
{
    /// <summary>Short name used in histories and logs (for example <c>accuracy</c>).</summary>
    string Name { get; }

    /// <summary>True when larger values are better (accuracy), false when smaller are (errors).</summary>
    bool HigherIsBetter { get; }

    /// <summary>Accumulates a batch of predictions and targets.</summary>
    void Update(Tensor prediction, Tensor target);

    /// <summary>The metric over all batches since the last reset (NaN when nothing was seen).</summary>
    double Compute();

    /// <summary>Forgets everything accumulated.</summary>
    void Reset();
}

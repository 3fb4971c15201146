namespace Dendrite.Training;

/// <summary>The mean loss over the samples of a loader and the metric values.</summary>
public sealed record EvaluationResult(double Loss, IReadOnlyDictionary<string, double> Metrics, int Samples);

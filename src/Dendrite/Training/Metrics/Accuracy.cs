using System.Text.Json.Nodes;

namespace Dendrite.Training.Metrics;

/// <summary>
/// Fraction of correctly classified samples. Binary outputs ([N] or [N, 1]) are probabilities compared with a
/// threshold, or logits when <c>fromLogits</c> (the sigmoid is compared); [N, C] outputs use the arg-max.
/// </summary>
public sealed class Accuracy(double threshold = 0.5, bool fromLogits = false) : IStatefulMetric
{
    private long _correct;
    private long _total;

    /// <inheritdoc/>
    public string Name => "accuracy";

    /// <inheritdoc/>
    public bool HigherIsBetter => true;

    /// <summary>The binary decision threshold on probabilities.</summary>
    public double Threshold => threshold;

    /// <summary>Whether binary predictions are logits.</summary>
    public bool FromLogits => fromLogits;

    /// <inheritdoc/>
    public void Update(Tensor prediction, Tensor target)
    {
        var (p, a, _) = ClassPredictions.Get(prediction, target, threshold, fromLogits, "Accuracy");
        for (int i = 0; i < p.Length; i++)
            if (p[i] == a[i])
                _correct++;
        _total += p.Length;
    }

    /// <inheritdoc/>
    public double Compute() => _total == 0 ? double.NaN : (double)_correct / _total;

    /// <inheritdoc/>
    public void Reset() => (_correct, _total) = (0, 0);

    /// <inheritdoc/>
    public JsonNode SaveState() => new JsonObject { ["correct"] = _correct, ["total"] = _total };

    /// <inheritdoc/>
    public void LoadState(JsonNode state)
    {
        var o = MetricState.Object(state, "Accuracy");
        long correct = MetricState.Count(o, "correct", "Accuracy"), total = MetricState.Count(o, "total", "Accuracy");
        if (correct > total)
            throw new InvalidDataException($"Accuracy: the saved state counts {correct} correct of only {total} samples.");
        (_correct, _total) = (correct, total);
    }
}

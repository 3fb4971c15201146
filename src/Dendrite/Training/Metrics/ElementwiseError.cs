using System.Text.Json.Nodes;

namespace Dendrite.Training.Metrics;

/// <summary>Shared accumulation for element-wise regression errors.</summary>
public abstract class ElementwiseError : IStatefulMetric
{
    private double _sum;
    private long _count;

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public bool HigherIsBetter => false;

    private protected abstract double Error(double diff);

    /// <summary>Accumulates the error of every element; prediction and target need the same element count ([N] and [N, 1] mix).</summary>
    public void Update(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.Numel != target.Numel)
            throw new ArgumentException($"{GetType().Name}: prediction {ShapeUtil.Format(prediction.ShapeArray)} and target {ShapeUtil.Format(target.ShapeArray)} have different element counts.");
        var p = prediction.Detach().To(DType.Float64).ToArray<double>();
        var t = target.Detach().To(DType.Float64).ToArray<double>();
        for (int i = 0; i < p.Length; i++)
            _sum += Error(p[i] - t[i]);
        _count += p.Length;
    }

    /// <inheritdoc/>
    public double Compute() => _count == 0 ? double.NaN : _sum / _count;

    /// <inheritdoc/>
    public void Reset() => (_sum, _count) = (0, 0);

    /// <inheritdoc/>
    public JsonNode SaveState() => new JsonObject { ["sum"] = _sum, ["count"] = _count };

    /// <inheritdoc/>
    public void LoadState(JsonNode state)
    {
        var o = MetricState.Object(state, GetType().Name);
        double sum = MetricState.Number(o, "sum", GetType().Name);
        long count = MetricState.Count(o, "count", GetType().Name);
        (_sum, _count) = (sum, count);
    }
}

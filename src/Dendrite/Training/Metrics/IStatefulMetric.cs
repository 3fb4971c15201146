using System.Text.Json.Nodes;

namespace Dendrite.Training.Metrics;

/// <summary>
/// A metric whose accumulated totals can be saved and restored, so that a training checkpoint taken in the middle of
/// an epoch resumes with the exact train value of that epoch. The built-in metrics implement it; a metric that does
/// not gets an unknown (NaN) train value for an epoch resumed mid-way, with a warning in the history.
/// </summary>
public interface IStatefulMetric : IMetric
{
    /// <summary>The totals accumulated since the last <see cref="IMetric.Reset"/>, as JSON.</summary>
    JsonNode SaveState();

    /// <summary>
    /// Replaces the totals with a state from <see cref="SaveState"/>; throws <see cref="InvalidDataException"/>, and
    /// leaves the metric unchanged, when the state is malformed or was saved by a differently configured metric.
    /// </summary>
    void LoadState(JsonNode state);
}

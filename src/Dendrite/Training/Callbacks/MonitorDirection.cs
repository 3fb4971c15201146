namespace Dendrite.Training.Callbacks;

/// <summary>Whether a recorded value improves upwards or downwards.</summary>
internal static class MonitorDirection
{
    /// <summary>Losses and errors improve downwards; everything else (accuracy, F1, ...) upwards.</summary>
    public static bool HigherIsBetter(string monitor)
    {
        string m = monitor.ToLowerInvariant();
        return !(m.Contains("loss") || m.EndsWith("mse", StringComparison.Ordinal) || m.EndsWith("mae", StringComparison.Ordinal) || m.Contains("error"));
    }

    public static bool Improves(double value, double best, bool higherIsBetter, double minDelta) =>
        !double.IsNaN(value) && (double.IsNaN(best) || (higherIsBetter ? value > best + minDelta : value < best - minDelta));
}

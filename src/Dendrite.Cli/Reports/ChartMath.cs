namespace Dendrite.Cli.Reports;

/// <summary>Small statistics used when summarising data for reports.</summary>
public static class ChartMath
{
    /// <summary>The population standard deviation of the finite values.</summary>
    public static double Std(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return double.NaN;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }
}

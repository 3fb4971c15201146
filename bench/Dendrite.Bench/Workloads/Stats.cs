using System.Globalization;

namespace Dendrite.Bench.Workloads;

/// <summary>Small numeric helpers matching the twins' rounding and summaries.</summary>
public static class Stats
{
    /// <summary>The median (mean of the two middle values for an even count), as Python's statistics.median.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        if (v.Length == 0)
            throw new ArgumentException("Median: no values.");
        int h = v.Length / 2;
        return v.Length % 2 == 1 ? v[h] : 0.5 * (v[h - 1] + v[h]);
    }

    /// <summary><paramref name="x"/> rounded to <paramref name="digits"/> significant digits (common.sig).</summary>
    public static double Sig(double x, int digits = 6) =>
        double.Parse(x.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

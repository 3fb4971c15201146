using System.Globalization;

namespace Dendrite.Cli.Reports;

/// <summary>Maps data values to pixels along one chart axis (linear or base-10 logarithmic) and picks round ticks.</summary>
internal sealed class Axis
{
    public Axis(double min, double max, bool log, double pixelStart, double pixelEnd, bool margin = true)
    {
        Log = log;
        if (!double.IsFinite(min) || !double.IsFinite(max)) (min, max) = log ? (1, 10) : (0, 1);
        if (log)
        {
            min = Math.Max(min, 1e-300);
            max = Math.Max(max, min);
            if (max / min < 10) { double mid = Math.Sqrt(min * max); min = mid / Math.Sqrt(10); max = mid * Math.Sqrt(10); }
            else if (margin)
            {
                // The same 4% margin as a linear axis, in log space: no point sits on the frame.
                double pad = (Math.Log10(max) - Math.Log10(min)) * 0.04;
                min = Math.Pow(10, Math.Log10(min) - pad);
                max = Math.Pow(10, Math.Log10(max) + pad);
            }
        }
        else if (max - min < 1e-12 * Math.Max(1, Math.Abs(max)))
        {
            double pad = Math.Max(Math.Abs(max) * 0.1, 0.5);
            min -= pad;
            max += pad;
        }
        else if (margin)
        {
            double pad = (max - min) * 0.04;
            min -= pad;
            max += pad;
        }
        Min = min;
        Max = max;
        PixelStart = pixelStart;
        PixelEnd = pixelEnd;
    }

    public double Min { get; }
    public double Max { get; }
    public bool Log { get; }
    public double PixelStart { get; }
    public double PixelEnd { get; }

    /// <summary>Builds an axis covering the finite (and, for a log axis, positive) values.</summary>
    public static Axis Fit(IEnumerable<double> values, bool log, double pixelStart, double pixelEnd, bool includeZero = false)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (!double.IsFinite(v) || (log && v <= 0)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (includeZero && !log && double.IsFinite(min)) { min = Math.Min(min, 0); max = Math.Max(max, 0); }
        return new Axis(min, max, log, pixelStart, pixelEnd);
    }

    public bool Contains(double v) => double.IsFinite(v) && (!Log || v > 0);

    public double Map(double v)
    {
        double t = Log ? (Math.Log10(v) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min)) : (v - Min) / (Max - Min);
        return PixelStart + t * (PixelEnd - PixelStart);
    }

    public IEnumerable<(double Value, string Label)> Ticks()
    {
        if (Log)
        {
            int lo = (int)Math.Ceiling(Math.Log10(Min) - 1e-9), hi = (int)Math.Floor(Math.Log10(Max) + 1e-9);
            if (Math.Log10(Max) - Math.Log10(Min) < 3)
            {
                // A short log axis gets 1-2-5 ticks, so that both ends of the data have labelled ticks near them.
                for (int e = lo - 1; e <= hi; e++)
                    foreach (int m in new[] { 1, 2, 5 })
                    {
                        double v = m * Math.Pow(10, e);
                        if (v >= Min * (1 - 1e-9) && v <= Max * (1 + 1e-9)) yield return (v, m == 1 ? $"1e{e}" : $"{m}e{e}");
                    }
                yield break;
            }
            int step = Math.Max(1, (hi - lo + 1) / 7 + ((hi - lo + 1) % 7 == 0 ? 0 : 1));
            for (int e = lo; e <= hi; e += step) yield return (Math.Pow(10, e), $"1e{e}");
            yield break;
        }
        double raw = (Max - Min) / 5;
        double mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double unit = raw / mag < 1.5 ? 1 : raw / mag < 3.5 ? 2 : raw / mag < 7.5 ? 5 : 10;
        double tick = unit * mag;
        for (double v = Math.Ceiling(Min / tick) * tick; v <= Max + tick * 1e-9; v += tick)
            yield return (Math.Abs(v) < tick * 1e-9 ? 0 : v, Format(Math.Abs(v) < tick * 1e-9 ? 0 : v));
    }

    /// <summary>Short human number formatting for tick labels and annotations.</summary>
    public static string Format(double v)
    {
        if (v == 0) return "0";
        double a = Math.Abs(v);
        if (a >= 1e5 || a < 1e-3) return v.ToString("0.##e0", CultureInfo.InvariantCulture);
        if (a >= 100) return v.ToString("0", CultureInfo.InvariantCulture);
        if (a >= 1) return v.ToString("0.##", CultureInfo.InvariantCulture);
        return v.ToString("0.###", CultureInfo.InvariantCulture);
    }
}

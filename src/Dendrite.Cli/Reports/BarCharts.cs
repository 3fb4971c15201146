namespace Dendrite.Cli.Reports;

/// <summary>SVG grouped bar charts and histograms.</summary>
internal static class BarCharts
{
    public static string Bars(BarChartBlock c, bool small)
    {
        double w = small ? 380 : 720, h = small ? 250 : 360;
        bool legend = c.Series.Length > 1;
        double right = w - (legend ? (small ? 110 : 170) : 16);
        if (legend)
        {
            w = right + Svg.LegendWidth(c.Series.Select(s => s.Name), small ? 110 : 170);
            h = Svg.LegendHeight(c.Series.Length, h);
        }
        var values = c.Series.SelectMany(s => s.Values).ToList();
        // A linear bar chart starts at 0; a log one at the decade below its smallest positive value, so that every
        // positive value gets a visible bar however small it is (the range comes from the data, never a fixed floor).
        var y = c.LogY ? LogBarAxis(values, h - 56, 26) : Axis.Fit(values, false, h - 56, 26, includeZero: true);
        var svg = new Svg(w, h).Title(c.Title);
        svg.Rect(60, 26, right - 60, h - 82, "#fbfbfb", "stroke=\"#999\" stroke-width=\"0.8\"");
        foreach (var (v, label) in y.Ticks())
        {
            double py = y.Map(v);
            if (py < 25.5 || py > h - 55.5) continue;
            svg.Line(60, py, right, py, "#e4e4e4", 0.8).Text(55, py + 4, label, "end");
        }
        svg.Text(14, (h - 30) / 2, c.YLabel, "middle", $"fill=\"#333\" transform=\"rotate(-90 14 {Svg.N((h - 30) / 2)})\"");
        int nc = Math.Max(1, c.Categories.Length), ns = Math.Max(1, c.Series.Length);
        double slot = (right - 60) / nc, bar = slot * 0.8 / ns;
        double baseline = c.LogY ? h - 56 : y.Map(0);
        for (int k = 0; k < c.Categories.Length; k++)
        {
            double x0 = 60 + k * slot + slot * 0.1;
            for (int s = 0; s < c.Series.Length; s++)
            {
                double v = k < c.Series[s].Values.Length ? c.Series[s].Values[k] : double.NaN;
                if (!y.Contains(v))
                {
                    // A value the axis cannot draw (0 or less on a log axis, NaN) is written where its bar would be.
                    string label = double.IsNaN(v) ? "n/a" : Axis.Format(v);
                    svg.Text(x0 + (s + 0.5) * bar, baseline - 4, label, "middle", $"fill=\"{Svg.Colour(s)}\" font-size=\"10\" data-value=\"{label}\"");
                    continue;
                }
                double py = y.Map(Math.Clamp(v, Math.Min(y.Min, y.Max), Math.Max(y.Min, y.Max)));
                svg.Rect(x0 + s * bar, Math.Min(py, baseline), bar - 1, Math.Abs(baseline - py), Svg.Colour(s), $"data-value=\"{v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}\"");
            }
            svg.Text(60 + (k + 0.5) * slot, h - 40, c.Categories[k], "middle");
        }
        if (legend) svg.Legend(right + 12, 34, c.Series.Select((s, i) => (s.Name, Svg.Colour(i), false)).ToList());
        return svg.ToString();
    }

    // From the decade below the smallest positive value (one more when it sits right on a decade) to the decade above the largest.
    private static Axis LogBarAxis(List<double> values, double pixelStart, double pixelEnd)
    {
        var positive = values.Where(v => double.IsFinite(v) && v > 0).ToList();
        if (positive.Count == 0) return new Axis(1, 10, true, pixelStart, pixelEnd);
        double lo = Math.Log10(positive.Min()), hi = Math.Log10(positive.Max());
        double bottom = Math.Floor(lo);
        if (lo - bottom < 0.15) bottom -= 1;
        double top = Math.Max(Math.Ceiling(hi), bottom + 1);
        return new Axis(Math.Pow(10, bottom), Math.Pow(10, top), true, pixelStart, pixelEnd, margin: false);
    }

    public static string Histogram(HistogramBlock c, bool small)
    {
        double w = small ? 220 : 720, h = small ? 160 : 340;
        bool legend = c.Series.Length > 1;
        double right = w - (legend ? (small ? 100 : 170) : 12);
        if (legend) h = Svg.LegendHeight(c.Series.Length, h);
        double left = small ? 40 : 60;
        var x = new Axis(c.Min, c.Max, false, left, right);
        double maxCount = c.Series.SelectMany(s => s.Values).DefaultIfEmpty(1).Max();
        var y = new Axis(0, Math.Max(maxCount, 1), false, h - 44, 26);
        var svg = new Svg(w, h).Title(c.Title).Axes(x, y, c.XLabel, small ? "" : "count");
        double baseline = y.Map(0);
        for (int s = 0; s < c.Series.Length; s++)
        {
            var counts = c.Series[s].Values;
            int bins = counts.Length;
            double bw = (c.Max - c.Min) / Math.Max(bins, 1);
            string colour = Svg.Colour(s);
            for (int b = 0; b < bins; b++)
            {
                if (counts[b] <= 0) continue;
                double x0 = x.Map(c.Min + b * bw), x1 = x.Map(c.Min + (b + 1) * bw), py = y.Map(counts[b]);
                svg.Rect(x0, py, x1 - x0, baseline - py, colour, legend ? "fill-opacity=\"0.45\"" : "fill-opacity=\"0.85\"");
            }
        }
        if (legend) svg.Legend(right + 10, 34, c.Series.Select((s, i) => (s.Name, Svg.Colour(i), false)).ToList());
        return svg.ToString();
    }

    /// <summary>Counts values into <paramref name="bins"/> equal bins over [min, max] (values outside are dropped).</summary>
    public static double[] Bin(IEnumerable<double> values, double min, double max, int bins)
    {
        var counts = new double[bins];
        foreach (double v in values)
        {
            if (!double.IsFinite(v) || v < min || v > max) continue;
            int b = (int)((v - min) / (max - min) * bins);
            counts[Math.Min(b, bins - 1)]++;
        }
        return counts;
    }
}

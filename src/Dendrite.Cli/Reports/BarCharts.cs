namespace Dendrite.Cli.Reports;

/// <summary>SVG grouped bar charts and histograms.</summary>
internal static class BarCharts
{
    public static string Bars(BarChartBlock c, bool small)
    {
        double w = small ? 380 : 720, h = small ? 250 : 360;
        bool legend = c.Series.Length > 1;
        double right = w - (legend ? (small ? 110 : 170) : 16);
        var values = c.Series.SelectMany(s => s.Values).ToList();
        // A linear bar chart starts at 0; a log one at the smallest positive value's decade.
        var y = c.LogY ? Axis.Fit(values, true, h - 56, 26) : Axis.Fit(values, false, h - 56, 26, includeZero: true);
        var x = new Axis(0, 1, false, 60, right);
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
                if (!y.Contains(v)) continue;
                double py = y.Map(Math.Clamp(v, Math.Min(y.Min, y.Max), Math.Max(y.Min, y.Max)));
                svg.Rect(x0 + s * bar, Math.Min(py, baseline), bar - 1, Math.Abs(baseline - py), Svg.Colour(s), $"data-value=\"{Svg.N(v)}\"");
            }
            svg.Text(60 + (k + 0.5) * slot, h - 40, c.Categories[k], "middle");
        }
        if (legend) svg.Legend(right + 12, 34, c.Series.Select((s, i) => (s.Name, Svg.Colour(i), false)).ToList());
        _ = x;
        return svg.ToString();
    }

    public static string Histogram(HistogramBlock c, bool small)
    {
        double w = small ? 220 : 720, h = small ? 160 : 340;
        bool legend = c.Series.Length > 1;
        double right = w - (legend ? (small ? 100 : 170) : 12);
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

namespace Dendrite.Cli.Reports;

/// <summary>SVG line charts and scatter plots.</summary>
internal static class LineCharts
{
    private const double LegendWidth = 170;

    public static string Line(LineChartBlock c, bool small)
    {
        double w = small ? 380 : 720, h = small ? 240 : 360;
        bool legend = c.Series.Length > 1 || (c.Series.Length == 1 && c.Series[0].Name.Length > 0);
        double legendWidth = legend ? Svg.LegendWidth(c.Series.Select(s => s.Name), small ? 120 : LegendWidth) : 16;
        double right = w - (legend ? (small ? 120 : LegendWidth) : 16);
        w = right + legendWidth; // long names widen the chart instead of being cut
        if (legend) h = Svg.LegendHeight(c.Series.Length, h); // and many names make it taller
        var x = Axis.Fit(c.Series.SelectMany(s => s.X), c.LogX, 60, right);
        var y = Axis.Fit(c.Series.SelectMany(s => s.Y), c.LogY, h - 44, 26);
        var svg = new Svg(w, h).Title(c.Title).Axes(x, y, c.XLabel, c.YLabel);
        var entries = new List<(string, string, bool)>();
        for (int i = 0; i < c.Series.Length; i++)
        {
            var s = c.Series[i];
            string colour = Svg.Colour(s.Colour >= 0 ? s.Colour : i);
            var pts = Enumerable.Range(0, Math.Min(s.X.Length, s.Y.Length))
                .Select(k => x.Contains(s.X[k]) && y.Contains(s.Y[k]) ? (x.Map(s.X[k]), y.Map(Clip(s.Y[k], y))) : (double.NaN, double.NaN));
            svg.Polyline(pts, colour, small ? 1.3 : 1.7, s.Dashed);
            if (s.Markers || s.X.Length == 1)
                for (int k = 0; k < Math.Min(s.X.Length, s.Y.Length); k++)
                    if (x.Contains(s.X[k]) && y.Contains(s.Y[k])) svg.Circle(x.Map(s.X[k]), y.Map(Clip(s.Y[k], y)), 2.6, colour);
            entries.Add((s.Name, colour, s.Dashed));
        }
        if (legend) svg.Legend(right + 12, 34, entries);
        return svg.ToString();
    }

    private static double Clip(double v, Axis a) => Math.Clamp(v, Math.Min(a.Min, a.Max), Math.Max(a.Min, a.Max));

    public static string Scatter(ScatterBlock c, bool small)
    {
        double w = small ? 380 : 720, h = small ? 260 : 380;
        bool colourScale = c.ColorValues is not null;
        bool legend = !colourScale && c.Groups.Length > 1;
        double right = w - (legend || colourScale ? (small ? 110 : 150) : 16);
        if (legend)
        {
            w = right + Svg.LegendWidth(c.Groups.Select(g => g.Name), small ? 110 : 150);
            h = Svg.LegendHeight(c.Groups.Length, h);
        }
        var x = Axis.Fit(c.Groups.SelectMany(s => s.X), c.LogX, 60, right);
        var y = Axis.Fit(c.Groups.SelectMany(s => s.Y), c.LogY, h - 44, 26);
        var svg = new Svg(w, h).Title(c.Title).Axes(x, y, c.XLabel, c.YLabel);
        double cMin = 0, cMax = 1;
        if (colourScale)
        {
            var finite = c.ColorValues!.Where(double.IsFinite).ToArray();
            if (finite.Length > 0) { cMin = finite.Min(); cMax = finite.Max(); }
            if (cMax <= cMin) cMax = cMin + 1;
        }
        int idx = 0;
        for (int g = 0; g < c.Groups.Length; g++)
        {
            var s = c.Groups[g];
            for (int k = 0; k < Math.Min(s.X.Length, s.Y.Length); k++, idx++)
            {
                if (!x.Contains(s.X[k]) || !y.Contains(s.Y[k])) continue;
                string fill = colourScale && idx < c.ColorValues!.Length
                    ? ColourMaps.Viridis((c.ColorValues[idx] - cMin) / (cMax - cMin))
                    : Svg.Colour(g);
                svg.Circle(x.Map(s.X[k]), y.Map(s.Y[k]), small ? 2.5 : 3.5, fill, "fill-opacity=\"0.85\" stroke=\"#333\" stroke-width=\"0.3\"");
            }
        }
        if (legend) svg.Legend(right + 12, 34, c.Groups.Select((s, i) => (s.Name, Svg.Colour(i), false)).ToList());
        if (colourScale) ColourBar(svg, right + 14, 34, h - 90, cMin, cMax, c.ColorLabel ?? "");
        return svg.ToString();
    }

    /// <summary>A vertical colour bar with its min and max labels.</summary>
    public static void ColourBar(Svg svg, double x, double top, double height, double min, double max, string label)
    {
        const int steps = 24;
        for (int i = 0; i < steps; i++)
            svg.Rect(x, top + height * i / steps, 14, height / steps + 0.5, ColourMaps.Viridis(1 - (i + 0.5) / steps));
        svg.Text(x + 18, top + 8, Axis.Format(max));
        svg.Text(x + 18, top + height, Axis.Format(min));
        if (label.Length > 0) svg.Text(x, top - 8, label);
    }
}

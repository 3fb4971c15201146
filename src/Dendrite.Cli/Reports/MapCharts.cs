namespace Dendrite.Cli.Reports;

/// <summary>SVG heat maps: confusion matrices, decision boundaries and contour plots.</summary>
internal static class MapCharts
{
    public static string Heatmap(HeatmapBlock c, bool small)
    {
        double cell = small ? 24 : Math.Clamp(420.0 / Math.Max(c.RowCount, c.ColumnCount), 14, 48);
        double left = 110, top = 50;
        double w = left + cell * c.ColumnCount + 20, h = top + cell * c.RowCount + 40;
        var svg = new Svg(w, h).Title(c.Title);
        double max = c.Values.Where(double.IsFinite).DefaultIfEmpty(1).Max();
        if (max <= 0) max = 1;
        for (int r = 0; r < c.RowCount; r++)
        {
            for (int k = 0; k < c.ColumnCount; k++)
            {
                double v = c.Values[r * c.ColumnCount + k];
                double t = double.IsFinite(v) ? v / max : 0;
                svg.Rect(left + k * cell, top + r * cell, cell - 1, cell - 1, ColourMaps.Blues(t));
                if (c.Annotate && cell >= 18)
                    svg.Text(left + (k + 0.5) * cell, top + (r + 0.5) * cell + 4, Axis.Format(v), "middle",
                        $"font-size=\"{Svg.N(Math.Min(11, cell / 3))}\" fill=\"{(t > 0.55 ? "#fff" : "#222")}\"");
            }
            svg.Text(left - 5, top + (r + 0.5) * cell + 4, r < c.RowLabels.Length ? c.RowLabels[r] : "", "end");
        }
        for (int k = 0; k < c.ColumnCount; k++)
        {
            double px = left + (k + 0.5) * cell, py = top + c.RowCount * cell + 6;
            svg.Text(px, py, k < c.ColumnLabels.Length ? c.ColumnLabels[k] : "", "end",
                $"transform=\"rotate(-45 {Svg.N(px)} {Svg.N(py)})\" font-size=\"10\"");
        }
        svg.Text(left + c.ColumnCount * cell / 2, 36, c.ColumnTitle, "middle", "fill=\"#333\"");
        svg.Text(12, top + c.RowCount * cell / 2, c.RowTitle, "middle",
            $"fill=\"#333\" transform=\"rotate(-90 12 {Svg.N(top + c.RowCount * cell / 2)})\"");
        return svg.ToString();
    }

    public static string DecisionBoundary(DecisionBoundaryBlock c, bool small)
    {
        double w = small ? 380 : 560, h = small ? 320 : 460;
        var x = new Axis(c.XMin, c.XMax, false, 50, w - 16);
        var y = new Axis(c.YMin, c.YMax, false, h - 40, 26);
        var svg = new Svg(w, h).Title(c.Title).Axes(x, y, "x₁", "x₂");
        // The probability grid as an RGB PNG; image rows run top (max y) to bottom.
        var rgb = new byte[c.Nx * c.Ny * 3];
        for (int j = 0; j < c.Ny; j++)
            for (int i = 0; i < c.Nx; i++)
            {
                var (r, g, b) = ColourMaps.DivergingRgb(c.Probability[j * c.Nx + i]);
                int o = ((c.Ny - 1 - j) * c.Nx + i) * 3;
                (rgb[o], rgb[o + 1], rgb[o + 2]) = (r, g, b);
            }
        double gx0 = x.Map(c.XMin), gx1 = x.Map(c.XMax), gy0 = y.Map(c.YMax), gy1 = y.Map(c.YMin);
        svg.Image(gx0, gy0, gx1 - gx0, gy1 - gy0, Png.DataUri(Png.Encode(rgb, c.Nx, c.Ny, 3)), pixelated: false);
        foreach (var seg in Contours.Segments(c.Probability, c.Nx, c.Ny, 0.5))
            svg.Line(Gx(seg.X0), Gy(seg.Y0), Gx(seg.X1), Gy(seg.Y1), "#222", 1.6);
        for (int p = 0; p < c.PointX.Length; p++)
            svg.Circle(x.Map(c.PointX[p]), y.Map(c.PointY[p]), small ? 2 : 2.8, c.PointLabel[p] == 1 ? "#e8731a" : "#1f6fb4",
                "stroke=\"#222\" stroke-width=\"0.6\"");
        return svg.ToString();

        double Gx(double i) => x.Map(c.XMin + i * (c.XMax - c.XMin) / (c.Nx - 1));
        double Gy(double j) => y.Map(c.YMin + j * (c.YMax - c.YMin) / (c.Ny - 1));
    }

    public static string Contour(ContourBlock c, bool small)
    {
        double w = small ? 380 : 720, h = small ? 300 : 420;
        bool legend = c.Paths.Length > 1;
        double right = w - (legend ? 150 : 16);
        if (legend) h = Svg.LegendHeight(c.Paths.Length, h);
        var x = new Axis(c.XMin, c.XMax, false, 50, right);
        var y = new Axis(c.YMin, c.YMax, false, h - 40, 26);
        var svg = new Svg(w, h).Title(c.Title).Axes(x, y, "x", "y");
        double lo = c.Levels.DefaultIfEmpty(0).Min(), hi = c.Levels.DefaultIfEmpty(1).Max();
        for (int l = 0; l < c.Levels.Length; l++)
        {
            double t = hi > lo ? (c.Levels[l] - lo) / (hi - lo) : 0;
            foreach (var seg in Contours.Segments(c.Z, c.Nx, c.Ny, c.Levels[l]))
                svg.Line(Gx(seg.X0), Gy(seg.Y0), Gx(seg.X1), Gy(seg.Y1), ColourMaps.Viridis(0.15 + 0.8 * t), 1);
        }
        for (int p = 0; p < c.Paths.Length; p++)
        {
            var s = c.Paths[p];
            string colour = Svg.Colour(p);
            var pts = s.X.Zip(s.Y, (a, b) => (x.Map(Math.Clamp(a, c.XMin, c.XMax)), y.Map(Math.Clamp(b, c.YMin, c.YMax)))).ToList();
            svg.Polyline(pts, colour, 1.6, s.Dashed);
            foreach (var (px, py) in pts) svg.Circle(px, py, 1.8, colour);
        }
        svg.Circle(x.Map(0), y.Map(0), 3.5, "none", "stroke=\"#000\" stroke-width=\"1.2\"");
        if (legend) svg.Legend(right + 12, 34, c.Paths.Select((s, i) => (s.Name, Svg.Colour(i), s.Dashed)).ToList());
        return svg.ToString();

        double Gx(double i) => x.Map(c.XMin + i * (c.XMax - c.XMin) / (c.Nx - 1));
        double Gy(double j) => y.Map(c.YMin + j * (c.YMax - c.YMin) / (c.Ny - 1));
    }
}

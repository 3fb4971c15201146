using System.Globalization;
using System.Text;

namespace Dendrite.Cli.Reports;

/// <summary>Builds one SVG element: escaped text, compact numbers, and the frame, axes and legend shared by charts.</summary>
internal sealed class Svg
{
    private readonly StringBuilder _sb = new();

    public Svg(double width, double height)
    {
        Width = width;
        Height = height;
        _sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {N(width)} {N(height)}\" width=\"{N(width)}\" height=\"{N(height)}\" class=\"chart\" font-family=\"sans-serif\" font-size=\"11\">");
    }

    public double Width { get; }
    public double Height { get; }

    /// <summary>Ten distinguishable line colours.</summary>
    public static readonly string[] Palette =
        ["#1f6fb4", "#e8731a", "#2a9d3a", "#d43c3c", "#8a5cc2", "#8c564b", "#d663b8", "#6b6b6b", "#b3b325", "#17aebf"];

    public static string Colour(int i) => Palette[i % Palette.Length];

    public static string N(double v) => double.IsFinite(v) ? Math.Round(v, 2).ToString(CultureInfo.InvariantCulture) : "0";

    public static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    public Svg Raw(string s)
    {
        _sb.Append(s);
        return this;
    }

    public Svg Text(double x, double y, string text, string anchor = "start", string extra = "")
    {
        _sb.Append($"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\"{(extra.Length > 0 ? " " + extra : "")}>{Escape(text)}</text>");
        return this;
    }

    public Svg Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string extra = "")
    {
        _sb.Append($"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"{(extra.Length > 0 ? " " + extra : "")}/>");
        return this;
    }

    public Svg Rect(double x, double y, double w, double h, string fill, string extra = "")
    {
        _sb.Append($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(w, 0))}\" height=\"{N(Math.Max(h, 0))}\" fill=\"{fill}\"{(extra.Length > 0 ? " " + extra : "")}/>");
        return this;
    }

    public Svg Circle(double x, double y, double r, string fill, string extra = "")
    {
        _sb.Append($"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"{N(r)}\" fill=\"{fill}\"{(extra.Length > 0 ? " " + extra : "")}/>");
        return this;
    }

    /// <summary>A polyline through the points, broken where a point is missing (NaN).</summary>
    public Svg Polyline(IEnumerable<(double X, double Y)> points, string stroke, double width = 1.6, bool dashed = false)
    {
        var d = new StringBuilder();
        bool pen = false;
        foreach (var (x, y) in points)
        {
            if (!double.IsFinite(x) || !double.IsFinite(y)) { pen = false; continue; }
            d.Append(pen ? 'L' : 'M').Append(N(x)).Append(',').Append(N(y));
            pen = true;
        }
        if (d.Length > 0)
            _sb.Append($"<path d=\"{d}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\" stroke-linejoin=\"round\"{(dashed ? " stroke-dasharray=\"5,3\"" : "")}/>");
        return this;
    }

    public Svg Image(double x, double y, double w, double h, string dataUri, bool pixelated)
    {
        _sb.Append($"<image x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(h)}\" preserveAspectRatio=\"none\" href=\"{dataUri}\"{(pixelated ? " style=\"image-rendering:pixelated\"" : "")}/>");
        return this;
    }

    public Svg Title(string title)
    {
        if (title.Length > 0) Text(Width / 2, 16, title, "middle", $"font-size=\"{(Width < 300 ? 11 : 13)}\" font-weight=\"bold\"");
        return this;
    }

    /// <summary>Draws grid lines, tick labels and axis titles of a plot area.</summary>
    public Svg Axes(Axis x, Axis y, string xLabel, string yLabel)
    {
        double left = x.PixelStart, right = x.PixelEnd, top = y.PixelEnd, bottom = y.PixelStart;
        Rect(left, top, right - left, bottom - top, "#fbfbfb", "stroke=\"#999\" stroke-width=\"0.8\"");
        foreach (var (v, label) in x.Ticks())
        {
            double px = x.Map(v);
            if (px < left - 0.5 || px > right + 0.5) continue;
            Line(px, top, px, bottom, "#e4e4e4", 0.8);
            Text(px, bottom + 14, label, "middle");
        }
        foreach (var (v, label) in y.Ticks())
        {
            double py = y.Map(v);
            if (py < top - 0.5 || py > bottom + 0.5) continue;
            Line(left, py, right, py, "#e4e4e4", 0.8);
            Text(left - 5, py + 4, label, "end");
        }
        if (xLabel.Length > 0) Text((left + right) / 2, bottom + 32, xLabel, "middle", "fill=\"#333\"");
        if (yLabel.Length > 0)
            Text(14, (top + bottom) / 2, yLabel, "middle", $"fill=\"#333\" transform=\"rotate(-90 14 {N((top + bottom) / 2)})\"");
        return this;
    }

    /// <summary>A legend column starting at (x, y); names are written whole (charts make room with <see cref="LegendWidth"/>).</summary>
    public Svg Legend(double x, double y, IReadOnlyList<(string Name, string Colour, bool Dashed)> entries)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            double yy = y + i * 16;
            var (name, colour, dashed) = entries[i];
            Line(x, yy, x + 18, yy, colour, 2.5, dashed ? "stroke-dasharray=\"5,3\"" : "");
            Text(x + 23, yy + 4, name);
        }
        return this;
    }

    /// <summary>
    /// The width a legend of these names needs beside a plot (at least <paramref name="minimum"/>): swatch, gap and
    /// the longest name at about 6.2 px per character of the 11 px font.
    /// </summary>
    /// <summary>The height a chart needs so that a legend of <paramref name="entries"/> rows starting at y = 34 fits (at least <paramref name="minimum"/>).</summary>
    public static double LegendHeight(int entries, double minimum) => Math.Max(minimum, 34 + 16 * entries + 8);

    public static double LegendWidth(IEnumerable<string> names, double minimum) =>
        Math.Max(minimum, 12 + 23 + 6.2 * names.Select(n => n.Length).DefaultIfEmpty(0).Max() + 8);

    public override string ToString() => _sb + "</svg>";
}

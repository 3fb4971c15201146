using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dendrite.Cli.Runs;

namespace Dendrite.Cli.Reports;

/// <summary>
/// Renders a run folder's report.html: a self-contained page (inline CSS and SVG, images as data URIs; no scripts,
/// fonts or network) from config.json, metrics.json, history.csv and report.json.
/// </summary>
public static class HtmlReport
{
    /// <summary>Writes report.json (when given) and renders report.html in the run folder; returns the HTML path.</summary>
    public static string Write(RunFolder run, ReportDocument? document = null)
    {
        if (document is not null)
            Json.WriteAllTextAtomic(run.WritePath(RunFolder.ReportDataFile), JsonSerializer.Serialize(document, Json.Compact));
        document ??= ReadDocument(run);
        string html = Render(document, run.ReadConfig(), run.ReadMetrics(), run.ReadHistory(), run.Name);
        Json.WriteAllTextAtomic(run.WritePath(RunFolder.ReportFile), html);
        return run.File(RunFolder.ReportFile);
    }

    /// <summary>Reads report.json, or an empty document when the run has none; a malformed one is an error naming the file.</summary>
    public static ReportDocument ReadDocument(RunFolder run)
    {
        string path = run.ReadPath(RunFolder.ReportDataFile);
        if (!File.Exists(path)) return new ReportDocument { Title = run.Name };
        try
        {
            return JsonSerializer.Deserialize<ReportDocument>(File.ReadAllText(path), Json.Options)
                ?? throw new InvalidDataException($"{path} holds no report");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            string why = e is JsonException { Path: { } at } ? $"the value at {at} is not what a report holds" : e.Message.Length <= 200 ? e.Message : e.Message[..200] + "…";
            throw new InvalidDataException($"{path} is not a report written by dendrite ({why}); delete it to rebuild the page from the other files", e);
        }
    }

    /// <summary>Renders the page.</summary>
    public static string Render(ReportDocument doc, JsonObject config, JsonObject metrics, RunHistory history, string runName)
    {
        var body = new StringBuilder();
        body.Append($"<h1>{H(doc.Title.Length > 0 ? doc.Title : runName)}</h1>\n");
        if (doc.Description.Length > 0) body.Append($"<p class=\"lead\">{H(doc.Description)}</p>\n");

        var info = new List<string[]> { new[] { "run", runName } };
        foreach (var key in new[] { "experiment", "status", "seed", "quick", "configHash", "wallSeconds" })
        {
            JsonNode? v = metrics[key] ?? config[key];
            if (v is not null) info.Add([key, Scalar(v)]);
        }
        body.Append(Table("Run", ["", ""], info, header: false));

        if (metrics["metrics"] is JsonObject results && results.Count > 0)
            body.Append(Table("Results", ["metric", "value"], results.Select(kv => new[] { kv.Key, Scalar(kv.Value) }).ToList()));
        if (metrics["checks"] is JsonArray checks && checks.Count > 0)
            body.Append(Table("Checks", ["check", "result", "detail"], checks.OfType<JsonObject>().Select(c => new[]
            {
                Scalar(c["name"]), c["passed"]?.GetValue<bool>() == true ? "passed" : "FAILED", Scalar(c["detail"]),
            }).ToList()));
        if (metrics["error"] is JsonNode err) body.Append($"<pre class=\"error\">{H(Scalar(err))}</pre>\n");

        var curves = CurveCharts(history);
        if (curves.Count > 0)
        {
            body.Append("<h2>Training curves</h2>\n<div class=\"grid\">");
            foreach (var c in curves) body.Append("<div>").Append(LineCharts.Line(c, small: curves.Count > 1)).Append("</div>");
            body.Append("</div>\n");
        }
        foreach (var block in doc.Blocks) body.Append(RenderBlock(block, small: false)).Append('\n');
        body.Append($"<details><summary>config.json</summary><pre>{H(config.ToJsonString(Json.Options))}</pre></details>\n");
        return Page(doc.Title.Length > 0 ? doc.Title : runName, body.ToString());
    }

    /// <summary>Line charts of history.csv: one chart per metric kind (loss, acc, ...), one line per series and split.</summary>
    public static List<LineChartBlock> CurveCharts(RunHistory history, Func<string, string>? seriesLabel = null)
    {
        var charts = new List<LineChartBlock>();
        var kinds = history.Columns.Select(Kind).Distinct().ToList();
        var seriesNames = history.Series;
        foreach (var kind in kinds)
        {
            var lines = new List<Series>();
            foreach (var s in seriesNames)
                foreach (var col in history.Columns.Where(c => Kind(c) == kind))
                {
                    var (x, y) = history.Curve(s, col);
                    if (x.Length == 0) continue;
                    string split = col.Contains('_') ? col[..col.IndexOf('_')] : "";
                    string name = string.Join(" ", new[] { seriesLabel?.Invoke(s) ?? s, split }.Where(p => p.Length > 0));
                    lines.Add(new Series(name, x, y, Dashed: split is not ("train" or ""), Colour: seriesNames.ToList().IndexOf(s)));
                }
            if (lines.Count == 0) continue;
            bool log = kind == "loss" && lines.All(l => l.Y.All(v => v > 0)) &&
                       lines.SelectMany(l => l.Y).Max() / Math.Max(lines.SelectMany(l => l.Y).Min(), 1e-300) > 50;
            charts.Add(new LineChartBlock(kind, "epoch", kind, [.. lines], LogY: log));
        }
        return charts;
    }

    private static string Kind(string column) => column.Contains('_') ? column[(column.IndexOf('_') + 1)..] : column;

    /// <summary>The HTML (or SVG) of one block.</summary>
    public static string RenderBlock(ReportBlock block, bool small) => block switch
    {
        HeadingBlock b => $"<h2>{H(b.Text)}</h2>",
        TextBlock b => b.Mono ? $"<pre>{H(b.Text)}</pre>" : string.Concat(b.Text.Split("\n\n").Select(p => $"<p>{H(p)}</p>")),
        TableBlock b => Table(b.Title, b.Columns, b.Rows),
        GridBlock b => $"{(b.Title.Length > 0 ? $"<h3>{H(b.Title)}</h3>" : "")}<div class=\"grid\" style=\"grid-template-columns:repeat({b.Columns},max-content)\">"
                       + string.Concat(b.Items.Select(i => $"<div>{RenderBlock(i, small: true)}</div>")) + "</div>",
        LineChartBlock b => Figure(LineCharts.Line(b, small)),
        ScatterBlock b => Figure(LineCharts.Scatter(b, small)),
        BarChartBlock b => Figure(BarCharts.Bars(b, small)),
        HistogramBlock b => Figure(BarCharts.Histogram(b, small)),
        HeatmapBlock b => Figure(MapCharts.Heatmap(b, small)),
        DecisionBoundaryBlock b => Figure(MapCharts.DecisionBoundary(b, small)),
        ContourBlock b => Figure(MapCharts.Contour(b, small)),
        ImageGridBlock b => ImageGrid(b),
        _ => throw new ArgumentException($"HtmlReport: unknown block type {block.GetType().Name}"),
    };

    private static string Figure(string svg) => $"<figure>{svg}</figure>";

    private static string ImageGrid(ImageGridBlock b)
    {
        var sb = new StringBuilder();
        if (b.Title.Length > 0) sb.Append($"<h3>{H(b.Title)}</h3>");
        sb.Append($"<div class=\"tiles\" style=\"grid-template-columns:repeat({b.Columns},max-content)\">");
        foreach (var t in b.Tiles)
        {
            string uri = Png.DataUri(Png.EncodeGray(t.Pixels, b.Width, b.Height));
            sb.Append($"<figure class=\"tile{(t.Flag ? " flag" : "")}\" style=\"width:{b.Width * b.Scale + 4}px\"><img alt=\"{H(t.Caption)}\" src=\"{uri}\" width=\"{b.Width * b.Scale}\" height=\"{b.Height * b.Scale}\"/>")
              .Append($"<figcaption>{H(t.Caption)}</figcaption></figure>");
        }
        return sb.Append("</div>").ToString();
    }

    private static string Table(string title, IReadOnlyList<string> columns, IReadOnlyList<string[]> rows, bool header = true)
    {
        var sb = new StringBuilder();
        if (title.Length > 0) sb.Append($"<h3>{H(title)}</h3>");
        sb.Append("<table>");
        if (header) sb.Append("<tr>").Append(string.Concat(columns.Select(c => $"<th>{H(c)}</th>"))).Append("</tr>");
        foreach (var r in rows)
            sb.Append("<tr>").Append(string.Concat(r.Select(c => $"<td{(c is "FAILED" ? " class=\"bad\"" : c is "passed" ? " class=\"good\"" : "")}>{H(c)}</td>"))).Append("</tr>");
        return sb.Append("</table>\n").ToString();
    }

    /// <summary>A plain-text rendering of a JSON value.</summary>
    public static string Scalar(JsonNode? v) => v switch
    {
        null => "",
        JsonValue jv when jv.TryGetValue(out double d) => Format(d),
        JsonValue jv when jv.TryGetValue(out string? s) => s ?? "",
        _ => v.ToJsonString(Json.Compact),
    };

    /// <summary>Formats a number for tables: integers as is, others with up to 6 significant digits.</summary>
    public static string Format(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 1e12 ? d.ToString("0", System.Globalization.CultureInfo.InvariantCulture)
                                                : d.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    private static string H(string s) => WebUtility.HtmlEncode(s);

    /// <summary>Wraps a body in the page skeleton with the inline style sheet.</summary>
    public static string Page(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>{{H(title)}}</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1180px; padding: 0 16px; color: #1d1d1f; background: #fff; }
        h1 { font-size: 26px; margin-bottom: 4px; } h2 { font-size: 19px; margin-top: 30px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        h3 { font-size: 15px; margin: 16px 0 6px; } .lead { color: #444; max-width: 900px; }
        table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
        td, th { border: 1px solid #d8d8d8; padding: 3px 9px; text-align: left; font-variant-numeric: tabular-nums; }
        th { background: #f2f2f4; } td.bad { color: #b00; font-weight: bold; } td.good { color: #176b2c; }
        pre { background: #f6f6f8; padding: 10px; overflow-x: auto; font-size: 12px; } pre.error { color: #900; }
        figure { margin: 8px 0; } .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(390px, max-content)); gap: 8px; }
        .tiles { display: grid; gap: 6px; } .tile { margin: 0; text-align: center; font-size: 11px; }
        .tile img { image-rendering: pixelated; border: 2px solid #cfe6cf; display: block; } .tile.flag img { border-color: #e07070; }
        .tile.flag figcaption { color: #b00; } svg.chart { background: #fff; }
        </style>
        </head>
        <body>
        {{body}}
        </body>
        </html>
        """;
}

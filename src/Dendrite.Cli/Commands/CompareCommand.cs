using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Dendrite.Cli.Reports;
using Dendrite.Cli.Runs;

namespace Dendrite.Cli.Commands;

/// <summary><c>dendrite compare &lt;run-dir&gt;...</c>: one page overlaying the curves and results of several runs.</summary>
public static class CompareCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(CliConsole console)
    {
        var dirs = new Argument<string[]>("run-dirs") { Description = "Run folders to compare", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "The HTML file to write (default: runs/compare-<time>.html)" };
        var cmd = new Command("compare", "Overlay the training curves and results of several runs in one HTML page") { dirs, output };
        cmd.SetAction(parse => CliApp.Guard(console, parse, ui =>
        {
            var runs = (parse.GetValue(dirs) ?? []).Select(RunFolder.Open).ToList();
            string path = parse.GetValue(output)
                          ?? Path.Combine("runs", $"compare-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.html");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            Json.WriteAllTextAtomic(path, Render(runs));
            if (ui.Mode == Ui.OutputMode.Json) ui.Json(new JsonObject { ["compare"] = Path.GetFullPath(path) }.ToJsonString(Json.Options));
            else ui.Summary(new Ui.TableData("compare", "runs", "file").Add(runs.Count.ToString(CultureInfo.InvariantCulture), Path.GetFullPath(path)));
            return 0;
        }));
        return cmd;
    }

    /// <summary>Renders the comparison page of several runs.</summary>
    public static string Render(IReadOnlyList<RunFolder> runs)
    {
        // Merge all histories into one, prefixing each series with its run's name.
        var merged = new RunHistory();
        foreach (var run in runs)
        {
            var h = run.ReadHistory();
            string label = Label(run, runs);
            foreach (var row in h.Rows)
            {
                string series = h.Series.Count > 1 ? $"{label} {row.Series}" : label;
                merged.Log(series, row.Epoch, [.. row.Values.Select(kv => (kv.Key, kv.Value))]);
            }
        }
        var body = new StringBuilder($"<h1>Comparison of {runs.Count} runs</h1>\n");

        var metrics = runs.Select(r => r.ReadMetrics()).ToList();
        var keys = metrics.SelectMany(m => (m["metrics"] as JsonObject)?.Select(kv => kv.Key) ?? []).Distinct().ToList();
        var rows = new List<string[]>
        {
            new[] { "config hash" }.Concat(runs.Select(r => HtmlReport.Scalar(Config(r)["configHash"]))).ToArray(),
            new[] { "seed" }.Concat(runs.Select(r => HtmlReport.Scalar(Config(r)["seed"]))).ToArray(),
            new[] { "wall seconds" }.Concat(metrics.Select(m => HtmlReport.Scalar(m["wallSeconds"]))).ToArray(),
        };
        foreach (var k in keys) rows.Add(new[] { k }.Concat(metrics.Select(m => HtmlReport.Scalar((m["metrics"] as JsonObject)?[k]))).ToArray());
        body.Append(HtmlReport.RenderBlock(new TableBlock("Results", ["", .. runs.Select(r => Label(r, runs))], [.. rows]), small: false));

        var charts = HtmlReport.CurveCharts(merged);
        if (charts.Count > 0)
        {
            body.Append("<h2>Curves</h2>");
            foreach (var c in charts) body.Append(HtmlReport.RenderBlock(c, small: false));
        }
        else body.Append("<p>None of these runs logged per-epoch curves.</p>");
        return HtmlReport.Page($"Comparison of {runs.Count} runs", body.ToString());
    }

    private static JsonObject Config(RunFolder run) => File.Exists(run.File(RunFolder.ConfigFile)) ? run.ReadConfig() : [];

    // Run folders of one experiment differ only by time; label them by name, and by index when names repeat.
    private static string Label(RunFolder run, IReadOnlyList<RunFolder> all) =>
        all.Count(r => r.Name == run.Name) > 1 ? $"{run.Name}#{all.ToList().IndexOf(run) + 1}" : run.Name;
}

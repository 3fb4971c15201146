using System.CommandLine;
using System.Text.Json.Nodes;
using Dendrite.Cli.Reports;
using Dendrite.Cli.Runs;

namespace Dendrite.Cli.Commands;

/// <summary><c>dendrite report &lt;run-dir&gt;</c>: rebuilds report.html from the run folder's files.</summary>
public static class ReportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(CliConsole console)
    {
        var dir = new Argument<string>("run-dir") { Description = "A run folder (runs/<name>-<time>)" };
        var cmd = new Command("report", "Rebuild report.html of a run from config.json, metrics.json, history.csv and report.json") { dir };
        cmd.SetAction(parse => CliApp.Guard(console, parse, ui =>
        {
            var run = RunFolder.Open(parse.GetValue(dir)!);
            string path = HtmlReport.Write(run);
            if (ui.Mode == Ui.OutputMode.Json) ui.Json(new JsonObject { ["report"] = path }.ToJsonString(Json.Options));
            else ui.Summary(new Ui.TableData("report", "run", "file").Add(run.Name, path));
            return 0;
        }));
        return cmd;
    }
}

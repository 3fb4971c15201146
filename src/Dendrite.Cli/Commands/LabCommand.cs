using System.CommandLine;
using System.Text.Json.Nodes;
using Dendrite.Cli.Lab;
using Dendrite.Cli.Runs;
using Dendrite.Cli.Ui;

namespace Dendrite.Cli.Commands;

/// <summary><c>dendrite lab list</c> and <c>dendrite lab run</c>.</summary>
public static class LabCommand
{
    /// <summary>Builds the <c>lab</c> command.</summary>
    public static Command Build(CliConsole console)
    {
        var lab = new Command("lab", "The classic experiments, one command each, with reports");

        var list = new Command("list", "List the experiments");
        list.SetAction(parse => CliApp.Guard(console, parse, ui => List(ui)));
        lab.Subcommands.Add(list);

        var names = new Argument<string[]>("experiment") { Description = "Experiment names, or 'all'", Arity = ArgumentArity.OneOrMore };
        var quick = new Option<bool>("--quick") { Description = "Run the reduced version (fewer epochs and samples)" };
        var seed = CliOptions.Int("--seed", "Random seed", 42);
        var outDir = new Option<string>("--out") { Description = "Folder that receives the run folders", DefaultValueFactory = _ => "runs" };
        var device = CliOptions.Device("Where to train (default cpu): auto (CUDA when available, else the CPU), cpu, cuda, cuda:N or ilgpu-cpu");
        var run = new Command("run", "Run experiments: names or 'all'") { names, quick, seed, outDir, device };
        run.SetAction(parse => CliApp.Guard(console, parse, ui =>
            RunMany(ui, parse.GetValue(names) ?? [], parse.GetValue(quick), parse.GetValue(seed), parse.GetValue(outDir) ?? "runs",
                device: Training.DeviceChoice.Resolve(parse.GetValue(device) ?? "cpu"))));
        lab.Subcommands.Add(run);
        return lab;
    }

    private static int List(IConsoleUi ui)
    {
        var experiments = ExperimentRegistry.All;
        if (ui.Mode == OutputMode.Json)
        {
            ui.Json(new JsonArray(experiments.Select(e => (JsonNode)new JsonObject
            {
                ["name"] = e.Name, ["title"] = e.Title, ["description"] = e.Description, ["needsFashionMnist"] = e.NeedsFashionMnist,
            }).ToArray()).ToJsonString(Json.Options));
            return 0;
        }
        var table = new TableData("", "#", "name", "what it shows");
        for (int i = 0; i < experiments.Count; i++)
            table.Add((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), experiments[i].Name,
                experiments[i].Description + (experiments[i].NeedsFashionMnist ? " [Fashion-MNIST]" : ""));
        ui.Summary(table);
        return 0;
    }

    /// <summary>Runs the named experiments (or all); exit code 1 when any failed (skipped is not failure).</summary>
    public static int RunMany(IConsoleUi ui, IReadOnlyList<string> names, bool quick, int seed, string outRoot, string? fashionMnistRoot = null,
        Device? device = null)
    {
        var selected = ExperimentRegistry.Resolve(names);
        RunFolder.CheckRoot(outRoot);
        string? fashion = LabData.FindFashionMnist(fashionMnistRoot);
        var outcomes = new List<ExperimentOutcome>();
        var total = System.Diagnostics.Stopwatch.StartNew();
        if (device is { IsCpu: false })
            ui.Line($"device: {device} (models trained with the Trainer run there; the from-scratch lessons compute on the CPU)", Tone.Detail);
        foreach (var e in selected) outcomes.Add(ExperimentRunner.Run(e, quick, seed, outRoot, ui, fashion, device: device));
        total.Stop();

        int failed = outcomes.Count(o => o.Status == ExperimentRunner.Failed);
        if (ui.Mode == OutputMode.Json)
        {
            ui.Json(new JsonObject
            {
                ["quick"] = quick,
                ["seed"] = seed,
                ["seconds"] = Math.Round(total.Elapsed.TotalSeconds, 3),
                ["failed"] = failed,
                ["skipped"] = outcomes.Count(o => o.Status == ExperimentRunner.Skipped),
                ["experiments"] = new JsonArray(outcomes.Select(o => (JsonNode)o.ToJson()).ToArray()),
            }.ToJsonString(Json.Options));
        }
        int ok = outcomes.Count(o => o.Status == ExperimentRunner.Ok), skipped = outcomes.Count(o => o.Status == ExperimentRunner.Skipped);
        var table = new TableData($"lab run: {ok} ok, {(skipped > 0 ? $"{skipped} skipped, " : "")}{failed} failed in {total.Elapsed.TotalSeconds:F1}s",
            "experiment", "status", "time", "key result", "config", "run folder");
        foreach (var o in outcomes)
            table.Add(o.Name, o.Status, $"{o.Seconds:F1}s", KeyResult(o), o.ConfigHash ?? "", o.RunDir ?? "");
        ui.Summary(table);
        // Why experiments were skipped, once (the same reason for each): not squeezed into a column.
        foreach (var reason in outcomes.Where(o => o.Status == ExperimentRunner.Skipped && o.Message is not null).Select(o => o.Message!).Distinct())
            ui.Line($"skipped: {reason}", Tone.Warning);
        return failed > 0 ? 1 : 0;
    }

    private static string KeyResult(ExperimentOutcome o)
    {
        if (o.Status == ExperimentRunner.Skipped) return "needs Fashion-MNIST";
        if (o.Status == ExperimentRunner.Failed && o.Message is not null) return o.Message.Length > 60 ? o.Message[..60] + "…" : o.Message;
        var first = o.Metrics.Take(2).Select(kv => $"{kv.Key}={Reports.HtmlReport.Scalar(kv.Value)}");
        return string.Join(" ", first);
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;
using Dendrite.Cli.Lab;
using Dendrite.Cli.Runs;
using Dendrite.Cli.Training;
using Dendrite.Cli.Ui;

namespace Dendrite.Cli.Commands;

/// <summary><c>dendrite train</c>: trains a model described on the command line or in a JSON config file.</summary>
public static class TrainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(CliConsole console)
    {
        var opts = new TrainOptions();
        var cmd = new Command("train", "Train a model (checkpoints, history, metrics and an HTML report go to runs/train-<time>/)");
        opts.AddTo(cmd);
        cmd.SetAction(parse => CliApp.Guard(console, parse, ui =>
        {
            var cfg = opts.Resolve(parse);
            return Report(ui, RunExperiment(ui, new TrainExperiment(cfg), cfg.Seed, parse.GetValue(opts.Out)!));
        }));
        return cmd;
    }

    /// <summary>Runs a single-run experiment (train, search) into a run folder.</summary>
    public static ExperimentOutcome RunExperiment(IConsoleUi ui, IExperiment experiment, int seed, string outRoot) =>
        ExperimentRunner.Run(experiment, quick: false, seed, outRoot, ui, LabData.FindFashionMnist());

    /// <summary>Prints an outcome (JSON with --json) and returns the exit code.</summary>
    public static int Report(IConsoleUi ui, ExperimentOutcome outcome)
    {
        if (ui.Mode == OutputMode.Json) ui.Json(outcome.ToJson().ToJsonString(Json.Options));
        var table = new TableData($"{outcome.Name}: {outcome.Status} in {outcome.Seconds:F1}s, config {outcome.ConfigHash}", "metric", "value");
        foreach (var kv in outcome.Metrics) table.Add(kv.Key, Reports.HtmlReport.Scalar(kv.Value));
        table.Add("run folder", outcome.RunDir ?? outcome.Message ?? "");
        ui.Summary(table);
        return outcome.Status switch
        {
            ExperimentRunner.Ok => 0,
            ExperimentRunner.Skipped => 3,
            _ => 1,
        };
    }
}

using System.CommandLine;
using System.Text.Json;
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
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue a run from its training checkpoint (last.safetensors), in its run folder; --epochs may raise the total",
            HelpName = "CHECKPOINT",
        };
        var cmd = new Command("train", "Train a model (checkpoints, history, metrics and an HTML report go to runs/train-<time>/; Ctrl+C stops cleanly with a checkpoint)")
            { resume };
        opts.AddTo(cmd);
        cmd.SetAction(parse => CliApp.Guard(console, parse, ui =>
        {
            string? checkpoint = parse.GetValue(resume);
            using var ctrlC = new CtrlC(console);
            if (checkpoint is null)
            {
                var cfg = opts.Resolve(parse);
                return Report(ui, RunExperiment(ui, new TrainExperiment(cfg, cancellationToken: ctrlC.Token), cfg.Seed, parse.GetValue(opts.Out)!));
            }
            var (run, resumed) = ResumeConfig(checkpoint, opts, parse);
            var experiment = new TrainExperiment(resumed, Path.GetFullPath(checkpoint), ctrlC.Token);
            return Report(ui, ExperimentRunner.Run(experiment, quick: false, resumed.Seed, run.Path, ui, LabData.FindFashionMnist(), run));
        }));
        return cmd;
    }

    // The run folder of a checkpoint and the config it was trained with (--epochs may change; nothing else may).
    private static (RunFolder Run, TrainConfig Config) ResumeConfig(string checkpoint, TrainOptions opts, ParseResult parse)
    {
        if (!File.Exists(checkpoint)) throw new FileNotFoundException($"--resume: checkpoint {checkpoint} does not exist", checkpoint);
        var given = opts.Settings.Where(o => parse.GetResult(o) is not null).Select(o => o.Name).ToList();
        if (given.Count > 0)
            throw new ArgumentException($"--resume continues a run with the settings in its config.json; only --epochs may change, but {string.Join(", ", given)} was given");
        var run = RunFolder.Open(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!);
        var settings = run.ReadConfig()["settings"]
            ?? throw new InvalidDataException($"{run.File(RunFolder.ConfigFile)} has no \"settings\": --resume needs a checkpoint in the run folder of a `dendrite train` run");
        var cfg = settings.Deserialize<TrainConfig>(Json.Options) ?? throw new InvalidDataException($"{run.File(RunFolder.ConfigFile)}: unreadable settings");
        return (run, (cfg with { Epochs = parse.GetValue(opts.Epochs) ?? cfg.Epochs }).Validate());
    }

    /// <summary>Runs a single-run experiment (train, search) into a run folder.</summary>
    public static ExperimentOutcome RunExperiment(IConsoleUi ui, IExperiment experiment, int seed, string outRoot) =>
        ExperimentRunner.Run(experiment, quick: false, seed, outRoot, ui, LabData.FindFashionMnist());

    /// <summary>Prints an outcome (JSON with --json) and returns the exit code: 0 ok, 1 failed, 3 skipped, 130 cancelled.</summary>
    public static int Report(IConsoleUi ui, ExperimentOutcome outcome)
    {
        if (ui.Mode == OutputMode.Json) ui.Json(outcome.ToJson().ToJsonString(Json.Options));
        var table = new TableData($"{outcome.Name}: {outcome.Status} in {outcome.Seconds:F1}s, config {outcome.ConfigHash}", "metric", "value");
        foreach (var kv in outcome.Metrics) table.Add(kv.Key, Reports.HtmlReport.Scalar(kv.Value));
        if (outcome.Status == ExperimentRunner.Cancelled) table.Add("cancelled", outcome.Message ?? "");
        table.Add("run folder", outcome.RunDir ?? outcome.Message ?? "");
        ui.Summary(table);
        return outcome.Status switch
        {
            ExperimentRunner.Ok => 0,
            ExperimentRunner.Skipped => 3,
            ExperimentRunner.Cancelled => CtrlC.ExitCode,
            _ => 1,
        };
    }
}

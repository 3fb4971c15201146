using System.CommandLine;
using Dendrite.Cli.Lab;
using Dendrite.Cli.Runs;
using Dendrite.Cli.Training;
using Dendrite.Cli.Ui;
using Dendrite.Distributed;
using Dendrite.IO;
using Dendrite.Training;

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
        var distributed = CliOptions.Flag("--distributed",
            "Train one model over the processes mpiexec started (mpiexec -n 2 dendrite train --distributed ...); --batch is the global batch, split evenly over them");
        var cmd = new Command("train", "Train a model (checkpoints, history, metrics and an HTML report go to runs/train-<time>/; Ctrl+C stops cleanly with a checkpoint)")
            { resume, distributed };
        opts.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            if (parse.GetValue(distributed) == true)
                return DistributedTrain.Run(console, parse, opts, parse.GetValue(resume));
            // Every process mpiexec starts runs this same command line: without --distributed they would all train
            // their own copy into their own run folder. Only the first says so.
            if (ProcessGroup.LaunchSize is > 1)
                return CliApp.Guard(ProcessGroup.LaunchRank == 0 ? console : DistributedTrain.Silent(console), parse, _ =>
                    throw new UsageException($"mpiexec started {ProcessGroup.LaunchSize} processes, but without --distributed each would train a model of its own: " +
                                             "add --distributed to train one model over all of them"));
            return CliApp.Guard(console, parse, ui =>
            {
                string? checkpoint = parse.GetValue(resume);
                using var ctrlC = new CtrlC(console);
                if (checkpoint is null)
                {
                    var cfg = opts.Resolve(parse);
                    RunFolder.CheckRoot(parse.GetValue(opts.Out)!);
                    return Fresh(ui, cfg, parse.GetValue(opts.Out)!, ctrlC.Token, group: null);
                }
                var (run, resumed) = ResumeConfig(checkpoint, opts, parse);
                return Resume(ui, run, resumed, checkpoint, ctrlC.Token, group: null);
            });
        });
        return cmd;
    }

    /// <summary>Trains <paramref name="cfg"/> into a new run folder under <paramref name="outRoot"/> (over <paramref name="group"/> when given); returns the exit code.</summary>
    internal static int Fresh(IConsoleUi ui, TrainConfig cfg, string outRoot, CancellationToken cancellationToken, ProcessGroup? group) =>
        Report(ui, RunExperiment(ui, new TrainExperiment(cfg, cancellationToken: cancellationToken, group: group), cfg.Seed, outRoot));

    /// <summary>Continues the run in <paramref name="run"/> from <paramref name="checkpoint"/> (over <paramref name="group"/> when given); returns the exit code.</summary>
    internal static int Resume(IConsoleUi ui, RunFolder run, TrainConfig cfg, string checkpoint, CancellationToken cancellationToken, ProcessGroup? group)
    {
        var experiment = new TrainExperiment(cfg, Path.GetFullPath(checkpoint), cancellationToken, group);
        return Report(ui, ExperimentRunner.Run(experiment, quick: false, cfg.Seed, run.Path, ui, LabData.FindFashionMnist(), run, printTable: false));
    }

    // The run folder of a checkpoint and the config it was trained with (--epochs may change; nothing else may),
    // checked before anything runs: a missing file, model weights instead of a training checkpoint, or a folder
    // without the run's config.json are usage errors.
    internal static (RunFolder Run, TrainConfig Config) ResumeConfig(string checkpoint, TrainOptions opts, ParseResult parse)
    {
        if (!File.Exists(checkpoint)) throw new UsageException($"--resume: the checkpoint {checkpoint} does not exist");
        var given = opts.Settings.Where(o => parse.GetResult(o) is not null).Select(o => o.Name).ToList();
        if (given.Count > 0)
            throw new UsageException($"--resume continues a run with the settings in its config.json; only --epochs may change, but {string.Join(", ", given)} was given");
        var meta = SafeTensors.ReadMetadata(checkpoint);
        if (!meta.TryGetValue("format", out var format) || format != Trainer.CheckpointFormat)
            throw new UsageException($"--resume: {checkpoint} holds model weights, not a training checkpoint: resume from the run's {TrainExperiment.LastCheckpoint} " +
                                     $"(best.safetensors is for `dendrite eval`)");
        var run = RunFolder.Open(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!);
        string configPath = run.File(RunFolder.ConfigFile);
        if (!File.Exists(configPath))
            throw new UsageException($"--resume: {configPath} does not exist; a checkpoint is resumed in the run folder `dendrite train` wrote it to");
        var cfg = TrainConfig.FromSettings(run.ReadConfig()["settings"], configPath);
        cfg = cfg with { Epochs = parse.GetValue(opts.Epochs) ?? cfg.Epochs };
        return (run, cfg.Validate(key => key == "epochs" && parse.GetResult(opts.Epochs) is not null ? "--epochs" : $"\"{key}\" in {configPath}"));
    }

    /// <summary>Runs a single-run experiment (train, search) into a run folder.</summary>
    public static ExperimentOutcome RunExperiment(IConsoleUi ui, IExperiment experiment, int seed, string outRoot) =>
        ExperimentRunner.Run(experiment, quick: false, seed, outRoot, ui, LabData.FindFashionMnist(), printTable: false);

    /// <summary>Prints an outcome (JSON with --json) and returns the exit code: 0 ok, 1 failed, 3 skipped, 130 cancelled.</summary>
    public static int Report(IConsoleUi ui, ExperimentOutcome outcome)
    {
        if (ui.Mode == OutputMode.Json) ui.Json(outcome.ToJson().ToJsonString(Json.Options));
        // A short title: a long one wraps inside the table's width, however wide the terminal.
        var table = new TableData($"{outcome.Name}: {outcome.Status}", "result", "value");
        foreach (var kv in outcome.Metrics) table.Add(kv.Key, Reports.HtmlReport.Scalar(kv.Value));
        table.Add("time", $"{outcome.Seconds:F1}s");
        if (outcome.ConfigHash is { Length: > 0 } hash) table.Add("config", hash);
        if (outcome.Message is { } message)
            table.Add(outcome.Status switch { ExperimentRunner.Cancelled => "cancelled", ExperimentRunner.Skipped => "skipped", _ => "error" }, message);
        if (outcome.RunDir is { } dir) table.Add("run folder", dir);
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

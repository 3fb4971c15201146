using System.Globalization;
using Dendrite.Cli.Lab;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Reports;
using Dendrite.Distributed;
using Dendrite.Training;
using Dendrite.Training.Callbacks;

namespace Dendrite.Cli.Training;

/// <summary>
/// <c>dendrite train</c> as a run: trains a configured model with the library's <see cref="Trainer"/>, writing a
/// resumable training checkpoint (<c>last.safetensors</c>) every epoch and the best-dev weights
/// (<c>best.safetensors</c>) whenever the dev accuracy improves; reports test accuracy of both. With
/// <paramref name="resume"/> it continues from a training checkpoint exactly where that run stopped. When
/// <paramref name="cancellationToken"/> is cancelled (Ctrl+C), the trainer ends at the next step, writes its
/// checkpoint, and the run ends with an <see cref="OperationCanceledException"/> saying how to resume. With a
/// <paramref name="group"/> of processes (<c>dendrite train --distributed</c>) every process runs this on its shard of
/// the data, training one model (see <see cref="TrainJob.Build"/>); the trainer agrees on the results, and the
/// caller gives only rank 0 the real run folder and console.
/// </summary>
public sealed class TrainExperiment(TrainConfig config, string? resume = null, CancellationToken cancellationToken = default, ProcessGroup? group = null) : IExperiment
{
    /// <summary>The training checkpoint written every epoch and on cancellation.</summary>
    public const string LastCheckpoint = "last.safetensors";

    /// <summary>The best-dev-accuracy weights.</summary>
    public const string BestCheckpoint = "best.safetensors";

    /// <inheritdoc />
    public string Name => "train";

    /// <inheritdoc />
    public string Title => $"Training {config.ModelOrDefault} on {config.Dataset}";

    /// <inheritdoc />
    public string Description => $"{config.Opt} lr {config.Lr.ToString(CultureInfo.InvariantCulture)}, batch {config.Batch}, {config.Epochs} epochs" +
                                 (config.Scheduler is null ? "" : $", scheduler {config.Scheduler}") +
                                 (config.EarlyStop is null ? "" : $", early stopping after {config.EarlyStop} epochs without dev-loss improvement");

    /// <inheritdoc />
    public bool NeedsFashionMnist => config.Dataset == "fashion-mnist";

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        // config.json records the device the run actually used (auto resolved; rank 0's in a distributed run).
        var device = group is null ? DeviceChoice.Resolve(config.Device) : DeviceChoice.ResolveForProcess(config.Device, ProcessGroup.LocalRank);
        ctx.Device = device;
        var cfg = ctx.UseConfig(config with { Device = device.ToString() });
        ctx.Log($"  device: {device}", Ui.Tone.Detail);
        if (group is not null)
        {
            ctx.Log($"  distributed: {group.Size} processes ({group.Library}), global batch {cfg.Batch} = {group.Size} x {cfg.Batch / group.Size}", Ui.Tone.Detail);
            ctx.Metric("processes", group.Size);
        }
        var data = TrainJob.LoadData(cfg);
        ctx.Log($"  {data.Train.Count} train / {data.Dev.Count} dev / {data.Test.Count} test samples", Ui.Tone.Detail);
        var best = new BestModelCheckpoint("dev_accuracy", path: ctx.Run.WritePath(BestCheckpoint), restoreBestAtEnd: false);
        ctx.ExportableCheckpoints.Add(BestCheckpoint);
        var setup = TrainJob.Build(cfg, data, (ulong)cfg.Seed + 2, [best], group: group, device: device);
        var trainer = setup.Trainer;
        string checkpoint = ctx.Run.File(LastCheckpoint);
        trainer.CheckpointPath = ctx.Run.WritePath(LastCheckpoint);
        if (resume is not null)
        {
            trainer.LoadCheckpoint(resume);
            ctx.Log($"  resuming from {resume}: {trainer.EpochsCompleted} epochs and {trainer.GlobalStep} steps done", Ui.Tone.Detail);
        }
        LabFit fit = default!;
        ctx.Progress(p => fit = LabTrainer.Fit(ctx, p, "model", trainer, setup.Train, setup.Dev, cfg.Epochs, cancellationToken: cancellationToken));
        var history = fit.History;
        ctx.Metric("epochs_completed", trainer.EpochsCompleted);
        ctx.Metric("train_seconds", fit.Seconds);
        ctx.Metric("samples_per_second", fit.SamplesPerSecond);
        switch (history.StopCause)
        {
            case StopCause.Cancelled:
                throw new OperationCanceledException($"{history.StopReason} Checkpoint: {checkpoint}. " +
                                                     $"Resume with: {(group is null ? "" : $"mpiexec -n {group.Size} ")}dendrite train " +
                                                     $"{(group is null ? "" : "--distributed ")}--resume {Quote(checkpoint)}");
            case StopCause.NonFiniteLoss:
                throw new ArithmeticException(history.StopReason);
            case StopCause.Requested:
                ctx.Log($"  {history.StopReason}", Ui.Tone.Warning);
                ctx.Metric("stop_reason", history.StopReason!);
                break;
        }

        var model = trainer.UnwrappedModel;
        var last = trainer.Evaluate(setup.Test);
        ctx.Metric("test_acc_last", last.Metrics["accuracy"]);
        if (best.BestState is { } state) model.LoadStateDict(state);
        var bestEval = trainer.Evaluate(setup.Test);
        ctx.Metric("test_acc", bestEval.Metrics["accuracy"]);
        ctx.Metric("test_loss", bestEval.Loss);
        ctx.Metric("best_dev_acc", best.Best);
        ctx.Metric("best_epoch", best.BestEpoch);
        ctx.Metric("parameters", model.ParameterCount);

        var predicted = TrainJob.PredictClasses(LabTrainer.Predict(model, data.Test.X)).ToArray<long>();
        ctx.Report.Text($"Best dev accuracy {best.Best:F4} at epoch {best.BestEpoch}; its weights ({BestCheckpoint}) reach test accuracy " +
                        $"{bestEval.Metrics["accuracy"]:F4}, the last epoch's {last.Metrics["accuracy"]:F4}. {LastCheckpoint} is a training checkpoint " +
                        $"(model, optimizer, schedulers, random state, history): continue with `dendrite train --resume {checkpoint} --epochs N`. " +
                        $"Evaluate again with `dendrite eval --checkpoint {ctx.Run.File(BestCheckpoint)}`.")
            .Add(LabPlots.Confusion("Confusion matrix (test set, best-dev weights)", predicted, data.Test.Y.ToArray<long>(), data.Classes));
    }

    private static string Quote(string path) => path.Contains(' ') ? $"\"{path}\"" : path;
}

using System.Globalization;
using Dendrite.Cli.Lab;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Reports;

namespace Dendrite.Cli.Training;

/// <summary><c>dendrite train</c> as a run: trains a configured model, keeps the best-dev and last checkpoints, reports.</summary>
public sealed class TrainExperiment(TrainConfig config) : IExperiment
{
    /// <inheritdoc />
    public string Name => "train";

    /// <inheritdoc />
    public string Title => $"Training {config.ModelOrDefault} on {config.Dataset}";

    /// <inheritdoc />
    public string Description => $"{config.Opt} lr {config.Lr.ToString(CultureInfo.InvariantCulture)}, batch {config.Batch}, {config.Epochs} epochs" +
                                 (config.Scheduler is null ? "" : $", scheduler {config.Scheduler}");

    /// <inheritdoc />
    public bool NeedsFashionMnist => config.Dataset == "fashion-mnist";

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(config);
        var data = TrainJob.LoadData(cfg);
        ctx.Log($"  {data.Train.Count} train / {data.Dev.Count} dev / {data.Test.Count} test samples", Ui.Tone.Detail);
        var model = TrainJob.BuildModel(cfg, data);
        var opt = TrainJob.BuildOptimizer(cfg, model.Parameters());
        var rng = new Generator((ulong)cfg.Seed + 2);
        FitResult fit = default!;
        ctx.Progress(p => fit = LabTrainer.Fit(ctx, p, "model", model, opt, Objective.CrossEntropy, data.Train, data.Dev, data.Test,
            new FitOptions(cfg.Epochs, cfg.Batch, KeepBest: true, AfterEpoch: TrainJob.BuildScheduler(cfg, opt)), rng));
        Checkpoints.Save(ctx, "last", model);
        ctx.Metric("test_acc_last", fit.Test!.Value.Accuracy);
        model.LoadStateDict(fit.BestState!);
        Checkpoints.Save(ctx, "best", model);
        var best = LabTrainer.Evaluate(model, Objective.CrossEntropy, data.Test);
        ctx.Metric("test_acc", best.Accuracy);
        ctx.Metric("test_loss", best.Loss);
        ctx.Metric("best_dev_acc", fit.BestDevAccuracy);
        ctx.Metric("best_epoch", fit.BestEpoch);
        ctx.Metric("parameters", model.ParameterCount);
        ctx.Metric("train_seconds", fit.Seconds);
        ctx.Metric("samples_per_second", fit.SamplesPerSecond);

        var predicted = LabTrainer.Predict(model, data.Test.X).ArgMax(1).ToArray<long>();
        ctx.Report.Text($"Best dev accuracy {fit.BestDevAccuracy:F4} at epoch {fit.BestEpoch}; its weights (best.safetensors) reach test accuracy " +
                        $"{best.Accuracy:F4}. last.safetensors holds the final weights. Evaluate again with " +
                        $"`dendrite eval --checkpoint {ctx.Run.File("best.safetensors")}`.")
            .Add(LabPlots.Confusion("Confusion matrix (test set, best-dev weights)", predicted, data.Test.Y.ToArray<long>(), data.Classes));
    }
}

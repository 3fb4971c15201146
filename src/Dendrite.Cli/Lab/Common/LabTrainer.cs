using System.Diagnostics;
using Dendrite.Cli.Runs;
using Dendrite.Cli.Ui;
using Dendrite.Data;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Training;
using Dendrite.Training.Metrics;

namespace Dendrite.Cli.Lab.Common;

/// <summary>What a lab training run ended with: the trainer's history, the wall time and the training throughput.</summary>
public sealed record LabFit(History History, double Seconds, double SamplesPerSecond);

/// <summary>
/// The lab's thin adapter over the library's <see cref="Trainer"/>: data loaders over in-memory tensors, a live
/// progress bar driven by the trainer's progress reports, and the trainer's history copied into the run's
/// history.csv. The training itself (steps, evaluation, callbacks, schedulers) is the library's.
/// </summary>
public static class LabTrainer
{
    /// <summary>A loader over <paramref name="data"/>: reshuffled every epoch from <paramref name="shuffle"/> when given, in order otherwise.</summary>
    public static DataLoader Loader(LabeledData data, int batchSize, Generator? shuffle = null) =>
        new(new TensorDataset(data.X, data.Y), Math.Min(batchSize, data.Count), shuffle: shuffle is not null, generator: shuffle);

    /// <summary>An in-order loader for evaluation, in large batches.</summary>
    public static DataLoader EvalLoader(LabeledData data, int batchSize = 2000) => Loader(data, batchSize);

    /// <summary>
    /// Runs <see cref="Trainer.Fit"/> for <paramref name="epochs"/> epochs with a progress bar named
    /// <paramref name="series"/> (none when <paramref name="progress"/> is null), reports the trainer's warnings, and
    /// logs its per-epoch values under <paramref name="series"/> in the run's history when <paramref name="logHistory"/>.
    /// </summary>
    public static LabFit Fit(ExperimentContext ctx, IProgressScope? progress, string series, Trainer trainer, DataLoader train, DataLoader? dev,
        int epochs, bool logHistory = true, CancellationToken cancellationToken = default)
    {
        var bar = progress is null ? null : new TrainingProgressBar(progress, series);
        // The model trains on the run's device; its parameters move in place, so the optimizer keeps them.
        trainer.Model.To(ctx.Device);
        trainer.Log = null;
        trainer.Progress = bar;
        int before = trainer.EpochsCompleted;
        var clock = Stopwatch.StartNew();
        var history = trainer.Fit(train, dev, epochs, cancellationToken);
        double seconds = clock.Elapsed.TotalSeconds;
        bar?.Complete(history);
        foreach (var warning in history.Warnings)
            ctx.Log($"  {series}: {warning}", Tone.Warning);
        if (logHistory)
            CopyHistory(history, ctx.History, series);
        double samples = (double)(trainer.EpochsCompleted - before) * train.SampleCount;
        return new LabFit(history, seconds, samples / Math.Max(seconds, 1e-9));
    }

    /// <summary>
    /// Trains a Fashion-MNIST classifier with Adam and cross-entropy (accuracy on <paramref name="test"/> after each
    /// epoch), saves its final weights as the "final" checkpoint and records the metrics test_acc, train_acc,
    /// train_seconds and samples_per_second (with the model's <paramref name="recipe"/>, the checkpoint can be exported to
    /// ONNX). Returns the fit and the final test accuracy.
    /// </summary>
    public static (LabFit Fit, double TestAcc) FitFashionClassifier(ExperimentContext ctx, string series, Module model, LabeledData train, LabeledData test,
        int batchSize, double lr, int epochs, ModelRecipe? recipe = null)
    {
        var trainer = new Trainer(model, new Adam(model.Parameters(), lr: lr), new CrossEntropyLoss(), [new Accuracy()]);
        trainer.EvaluationLoaders["test"] = EvalLoader(test);
        LabFit fit = default!;
        ctx.Progress(p => fit = Fit(ctx, p, series, trainer, Loader(train, batchSize, ctx.Rng(2)), null, epochs));
        Checkpoints.Save(ctx, "final", model, recipe);
        double acc = fit.History.Last("test_accuracy") ?? double.NaN;
        ctx.Metric("test_acc", acc);
        ctx.Metric("train_acc", fit.History.Last("train_accuracy") ?? double.NaN);
        ctx.Metric("train_seconds", fit.Seconds);
        ctx.Metric("samples_per_second", fit.SamplesPerSecond);
        return (fit, acc);
    }

    /// <summary>
    /// Copies a trainer's per-epoch values into a run history as one series (the learning rate only when it changed
    /// during the run: a constant one is in config.json already).
    /// </summary>
    public static void CopyHistory(History history, RunHistory target, string series)
    {
        var lrs = history.Series("lr");
        bool lrVaries = lrs.Distinct().Count() > 1;
        foreach (var e in history.Epochs)
            target.Log(series, e.Epoch, [.. e.Values.Where(kv => lrVaries || kv.Key != "lr").Select(kv => (kv.Key, kv.Value))]);
    }

    /// <summary>Model outputs for a whole data set in evaluation mode without gradients, in chunks of <paramref name="batch"/> rows.</summary>
    public static Tensor Predict(Module model, Tensor x, int batch = 2000)
    {
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            var parts = new List<Tensor>();
            var device = model.Device;
            using (Grad.NoGrad())
                for (int start = 0; start < x.Size(0); start += batch)
                    parts.Add(model.Forward(x.Narrow(0, start, Math.Min(batch, x.Size(0) - start)).To(device)));
            return parts.Count == 1 ? parts[0] : Tensor.Cat(parts, 0);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }
}

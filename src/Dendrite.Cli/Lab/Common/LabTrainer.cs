using System.Diagnostics;
using System.Globalization;
using Dendrite.Cli.Ui;
using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Cli.Lab.Common;

/// <summary>Loss and accuracy of a model on a data set.</summary>
public readonly record struct Evaluation(double Loss, double Accuracy);

/// <summary>What a training run ended with.</summary>
public sealed record FitResult(Evaluation Train, Evaluation? Dev, Evaluation? Test, double BestDevAccuracy, int BestEpoch,
    OrderedDictionary<string, Tensor>? BestState, double Seconds, double SamplesPerSecond, IReadOnlyList<double> BatchLosses,
    IReadOnlyList<Evaluation> TrainEpochs, bool Diverged = false);

/// <summary>Settings of one training run.</summary>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Samples per step (the whole set for full-batch gradient descent).</param>
/// <param name="Shuffle">Whether to reshuffle the training set every epoch.</param>
/// <param name="KeepBest">Whether to snapshot the weights of the epoch with the best dev accuracy (lowest dev loss for regression).</param>
/// <param name="BeforeEpoch">Called with the 1-based epoch before it starts (learning-rate schedules).</param>
/// <param name="EvalEvery">Evaluate dev/test every this many epochs (and at the last one).</param>
/// <param name="LogHistory">Whether to log the curves to the run's history (off for the many runs of a sweep).</param>
/// <param name="AfterEpoch">Called after each epoch with its number and the dev evaluation when there was one (schedulers).</param>
/// <param name="AllowDivergence">Stop quietly (result marked diverged) instead of throwing when the loss stops being finite.</param>
public sealed record FitOptions(int Epochs, int BatchSize, bool Shuffle = true, bool KeepBest = false,
    Action<int, Optimizer>? BeforeEpoch = null, int EvalEvery = 1, bool LogHistory = true, Action<int, Evaluation?>? AfterEpoch = null,
    bool AllowDivergence = false);

/// <summary>
/// The lab's training loop: minibatch SGD over in-memory tensors with a live progress bar (epoch, batch, loss,
/// metric, samples/s, ETA) and per-epoch train/dev/test curves logged to the run's history.
/// </summary>
public static class LabTrainer
{
    /// <summary>Trains <paramref name="model"/> and logs its curves under <paramref name="series"/>.</summary>
    public static FitResult Fit(ExperimentContext ctx, IProgressScope progress, string series, Module model, Optimizer opt,
        Objective objective, LabeledData train, LabeledData? dev, LabeledData? test, FitOptions options, Generator rng)
    {
        int n = train.Count, batch = Math.Min(options.BatchSize, n);
        int batches = (n + batch - 1) / batch;
        var bar = progress.AddTask(series, (double)options.Epochs * batches);
        var clock = Stopwatch.StartNew();
        long seen = 0;
        double bestScore = double.NegativeInfinity;
        int bestEpoch = 0;
        OrderedDictionary<string, Tensor>? best = null;
        Evaluation trainEval = default;
        Evaluation? devEval = null, testEval = null;
        string status = "";
        var batchLosses = new List<double>();
        var trainEpochs = new List<Evaluation>();

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            options.BeforeEpoch?.Invoke(epoch, opt);
            model.Train();
            var data = options.Shuffle && batches > 1 ? train.Shuffle(rng) : train;
            double lossSum = 0, correct = 0;
            for (int b = 0; b < batches; b++)
            {
                int start = b * batch, len = Math.Min(batch, n - start);
                var mb = data.Slice(start, len);
                var output = model.Forward(mb.X);
                var loss = objective.Loss(output, mb.Y);
                opt.ZeroGrad();
                loss.Backward();
                opt.Step();
                double l = loss.Item();
                if (!double.IsFinite(l) && options.AllowDivergence)
                {
                    bar.Complete($"diverged at epoch {epoch}");
                    return new FitResult(new Evaluation(double.NaN, double.NaN), null, null, double.NaN, bestEpoch, best, clock.Elapsed.TotalSeconds,
                        seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), batchLosses, trainEpochs, Diverged: true);
                }
                if (!double.IsFinite(l))
                    throw new ArithmeticException($"{series}: the loss became {l} at epoch {epoch}, batch {b + 1} (learning rate too high?)");
                lossSum += l * len;
                batchLosses.Add(l);
                if (objective.Correct is not null) using (Grad.NoGrad()) correct += objective.Correct(output.Detach(), mb.Y);
                seen += len;
                double rate = seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                status = string.Create(CultureInfo.InvariantCulture,
                    $"epoch {epoch}/{options.Epochs} batch {b + 1}/{batches} loss {lossSum / (start + len):F4}{(objective.Correct is null ? "" : $" acc {correct / (start + len):F3}")} {rate:N0} samples/s");
                bar.Update((double)(epoch - 1) * batches + b + 1, status);
            }
            trainEval = new Evaluation(lossSum / n, objective.Correct is null ? double.NaN : correct / n);
            trainEpochs.Add(trainEval);
            var row = new List<(string, double)> { ("train_loss", trainEval.Loss) };
            if (objective.Correct is not null) row.Add(("train_acc", trainEval.Accuracy));
            bool evalNow = epoch % Math.Max(options.EvalEvery, 1) == 0 || epoch == options.Epochs;
            if (evalNow && dev is not null)
            {
                devEval = Evaluate(model, objective, dev);
                row.Add(("dev_loss", devEval.Value.Loss));
                if (objective.Correct is not null) row.Add(("dev_acc", devEval.Value.Accuracy));
                double score = objective.Correct is null ? -devEval.Value.Loss : devEval.Value.Accuracy;
                if (score > bestScore)
                {
                    bestScore = score;
                    bestEpoch = epoch;
                    if (options.KeepBest) best = Snapshot(model);
                }
            }
            if (evalNow && test is not null)
            {
                testEval = Evaluate(model, objective, test);
                row.Add(("test_loss", testEval.Value.Loss));
                if (objective.Correct is not null) row.Add(("test_acc", testEval.Value.Accuracy));
            }
            if (evalNow && options.LogHistory) ctx.History.Log(series, epoch, [.. row]);
            options.AfterEpoch?.Invoke(epoch, evalNow ? devEval : null);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        bar.Complete(status);
        return new FitResult(trainEval, devEval, testEval, objective.Correct is null ? double.NaN : bestScore, bestEpoch, best,
            seconds, seen / Math.Max(seconds, 1e-9), batchLosses, trainEpochs);
    }

    /// <summary>Loss and accuracy over a data set in evaluation mode, in batches of <paramref name="batch"/>.</summary>
    public static Evaluation Evaluate(Module model, Objective objective, LabeledData data, int batch = 2000)
    {
        bool wasTraining = model.IsTraining;
        model.Eval();
        double lossSum = 0, correct = 0;
        using (Grad.NoGrad())
        {
            for (int start = 0; start < data.Count; start += batch)
            {
                int len = Math.Min(batch, data.Count - start);
                var mb = data.Slice(start, len);
                var output = model.Forward(mb.X);
                lossSum += objective.Loss(output, mb.Y).Item() * len;
                if (objective.Correct is not null) correct += objective.Correct(output, mb.Y);
            }
        }
        model.Train(wasTraining);
        return new Evaluation(lossSum / data.Count, objective.Correct is null ? double.NaN : correct / data.Count);
    }

    /// <summary>Model outputs for a whole data set in evaluation mode.</summary>
    public static Tensor Predict(Module model, Tensor x, int batch = 2000)
    {
        bool wasTraining = model.IsTraining;
        model.Eval();
        var parts = new List<Tensor>();
        using (Grad.NoGrad())
            for (int start = 0; start < x.Size(0); start += batch)
                parts.Add(model.Forward(x.Narrow(0, start, Math.Min(batch, x.Size(0) - start))));
        model.Train(wasTraining);
        return parts.Count == 1 ? parts[0] : Tensor.Cat(parts, 0);
    }

    /// <summary>A copy of the model's weights that later training does not change.</summary>
    public static OrderedDictionary<string, Tensor> Snapshot(Module model)
    {
        var copy = new OrderedDictionary<string, Tensor>();
        foreach (var (k, v) in model.StateDict()) copy[k] = v.Clone();
        return copy;
    }
}

using System.Globalization;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Reports;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Training;
using Dendrite.Training.Metrics;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>
/// 8. DLFS 6.4: a 6-hidden-layer MLP overfits 300 training images; weight decay 0.1 and dropout 0.2 narrow the
/// gap between training and test accuracy.
/// </summary>
public sealed class RegularizationExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "regularization";

    /// <inheritdoc />
    public string Title => "Overfitting, weight decay and dropout";

    /// <inheritdoc />
    public string Description => "DLFS 6.4: a 6-hidden-layer MLP on 300 images; weight decay 0.1 and dropout 0.2 vs none; the train/test gap.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => true;

    private sealed record Settings(int TrainSamples, int? TestLimit, int Hidden, int HiddenLayers, double Lr, int BatchSize, int Epochs, double WeightDecay, double Dropout);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings(TrainSamples: 300, TestLimit: ctx.Quick ? 2000 : null, Hidden: 100, HiddenLayers: 6, Lr: 0.01, BatchSize: 100,
            Epochs: ctx.Quick ? 100 : 200, WeightDecay: 0.1, Dropout: 0.2));
        var (train, test) = FashionData.Load(ctx, cfg.TrainSamples, cfg.TestLimit, flatten: true);
        int[] sizes = [784, .. Enumerable.Repeat(cfg.Hidden, cfg.HiddenLayers), 10];
        var runs = new (string Name, double Wd, double Dropout)[] { ("none", 0, 0), ("weight decay 0.1", cfg.WeightDecay, 0), ("dropout 0.2", 0, cfg.Dropout) };
        var gapLines = new List<Series>();
        var rows = new List<string[]>();
        ctx.Progress(p =>
        {
            foreach (var (name, wd, dropout) in runs)
            {
                var model = ModelFactory.Mlp(sizes, new ModelFactory.Options("relu", Dropout: dropout, Init: "he"), ctx.Rng(1));
                var trainer = new Trainer(model, new SGD(model.Parameters(), lr: cfg.Lr, weightDecay: wd), new CrossEntropyLoss(), [new Accuracy()])
                {
                    EvaluateEvery = Math.Max(1, cfg.Epochs / 40), // the test set is 30× the training set: evaluate it 40 times per run
                };
                trainer.EvaluationLoaders["test"] = LabTrainer.EvalLoader(test);
                var h = LabTrainer.Fit(ctx, p, name, trainer, LabTrainer.Loader(train, cfg.BatchSize, ctx.Rng(2)), null, cfg.Epochs).History;
                // Train accuracy in evaluation mode (dropout off), so both sides of the gap are measured the same way.
                double trainAcc = trainer.Evaluate(LabTrainer.EvalLoader(train)).Metrics["accuracy"], testAcc = h.Last("test_accuracy") ?? double.NaN;
                // The gap during training, at the evaluated epochs (train accuracy as measured while training).
                var evaluated = h.Epochs.Where(e => e.Values.ContainsKey("test_accuracy")).ToList();
                gapLines.Add(new Series(name, evaluated.Select(e => (double)e.Epoch).ToArray(),
                    evaluated.Select(e => e["train_accuracy"] - e["test_accuracy"]).ToArray()));
                string key = name.Split(' ')[0];
                ctx.Metric($"train_acc_{key}", trainAcc);
                ctx.Metric($"test_acc_{key}", testAcc);
                ctx.Metric($"gap_{key}", trainAcc - testAcc);
                rows.Add([name, trainAcc.ToString("F3", CultureInfo.InvariantCulture), testAcc.ToString("F3", CultureInfo.InvariantCulture),
                    (trainAcc - testAcc).ToString("F3", CultureInfo.InvariantCulture)]);
            }
        });
        ctx.Report.Text($"{cfg.TrainSamples} training images, {cfg.HiddenLayers} hidden layers of {cfg.Hidden} ReLU units, He initialisation, SGD lr {cfg.Lr}, {cfg.Epochs} epochs. " +
                        "Without regularisation the network memorises the training set; weight decay (an L2 penalty, here through SGD's weightDecay) " +
                        "and dropout trade some training accuracy for a smaller gap.")
            .Add(new LineChartBlock("Train − test accuracy gap", "epoch", "gap", [.. gapLines]))
            .Add(new BarChartBlock("Final accuracy", "accuracy", runs.Select(r => r.Name).ToArray(),
                [new BarSeries("train", rows.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture)).ToArray()),
                 new BarSeries("test", rows.Select(r => double.Parse(r[2], CultureInfo.InvariantCulture)).ToArray())]))
            .Add(new TableBlock("Train/test accuracy", ["run", "train", "test", "gap"], [.. rows]));
    }
}

using System.Globalization;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Reports;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Training;
using Dendrite.Training.Metrics;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>
/// 7. DLFS 6.3: a 5-hidden-layer MLP with and without batch normalisation, for a range of weight-initialisation
/// scales: with BatchNorm training progresses at almost every scale, without it only near the right one.
/// </summary>
public sealed class BatchNormExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "batchnorm";

    /// <inheritdoc />
    public string Title => "Batch normalisation across initialisation scales";

    /// <inheritdoc />
    public string Description => "DLFS 6.3: 5 hidden layers of 100 units with/without BatchNorm, weight std from 1 down to 0.001.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => true;

    private sealed record Settings(int TrainSamples, int Hidden, int HiddenLayers, double[] WeightStds, double Lr, int BatchSize, int Epochs);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings(TrainSamples: 1000, Hidden: 100, HiddenLayers: 5,
            WeightStds: ctx.Quick ? [1, 0.1, 0.01] : [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001], Lr: 0.01, BatchSize: 100, Epochs: ctx.Quick ? 8 : 20));
        var (train, _) = FashionData.Load(ctx, cfg.TrainSamples, 1, flatten: true);
        int[] sizes = [784, .. Enumerable.Repeat(cfg.Hidden, cfg.HiddenLayers), 10];
        var panels = new List<ReportBlock>();
        var rows = new List<string[]>();
        var epochs = Enumerable.Range(1, cfg.Epochs).Select(e => (double)e).ToArray();
        ctx.Progress(p =>
        {
            foreach (double std in cfg.WeightStds)
            {
                string s = std.ToString(CultureInfo.InvariantCulture);
                var lines = new List<Series>();
                var finals = new List<double>();
                foreach (bool bn in new[] { true, false })
                {
                    // The same network and weights except for the BatchNorm layers; Linear weights ~ N(0, std²).
                    var model = ModelFactory.Mlp(sizes, new ModelFactory.Options("relu", BatchNorm: bn), ctx.Rng(1));
                    var init = ctx.Rng(2);
                    foreach (var lin in model.Modules().OfType<Linear>()) Init.Normal_(lin.Weight, 0, std, init);
                    var trainer = new Trainer(model, new SGD(model.Parameters(), lr: cfg.Lr), new CrossEntropyLoss(), [new Accuracy()]);
                    // A diverging run stops quietly at its first non-finite loss (History.Diverged) instead of failing the experiment.
                    var h = LabTrainer.Fit(ctx, p, $"std {s} {(bn ? "with" : "without")} BatchNorm", trainer,
                        LabTrainer.Loader(train, cfg.BatchSize, ctx.Rng(3)), null, cfg.Epochs, logHistory: false).History;
                    // A diverged run has learned nothing: it counts as chance level from then on.
                    var accs = h.Series("train_accuracy");
                    var curve = Enumerable.Range(0, cfg.Epochs).Select(e => e < accs.Length ? accs[e] : 0.1).ToArray();
                    lines.Add(new Series(bn ? "with BatchNorm" : "without", epochs, curve, Dashed: !bn));
                    finals.Add(h.Diverged || accs.Length == 0 ? 0.1 : accs[^1]);
                }
                panels.Add(new LineChartBlock($"weight std {s}", "epoch", "train accuracy", [.. lines]));
                rows.Add([s, finals[0].ToString("F3", CultureInfo.InvariantCulture), finals[1].ToString("F3", CultureInfo.InvariantCulture)]);
                ctx.Metric($"train_acc_bn_std{s}", finals[0]);
                ctx.Metric($"train_acc_plain_std{s}", finals[1]);
            }
        });
        int bnWins = rows.Count(r => double.Parse(r[1], CultureInfo.InvariantCulture) >= double.Parse(r[2], CultureInfo.InvariantCulture));
        ctx.Metric("scales_where_bn_is_at_least_as_good", bnWins);
        ctx.Target("BatchNorm trains at least as well at most scales", bnWins * 2 > rows.Count, $"{bnWins} of {rows.Count} scales");
        ctx.Report.Text($"{cfg.TrainSamples} training images, SGD lr {cfg.Lr}, batch {cfg.BatchSize}, {cfg.Epochs} epochs; training accuracy per epoch. " +
                        "Solid: with BatchNorm (before each ReLU); dashed: without.")
            .Add(new GridBlock("Training accuracy by weight-initialisation scale", 3, [.. panels]))
            .Add(new TableBlock("Final training accuracy", ["weight std", "with BatchNorm", "without"], [.. rows]));
    }
}

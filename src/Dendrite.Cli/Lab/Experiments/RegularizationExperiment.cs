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
/// gap between training and test accuracy. Dropout in both forms: the course's original one (mask in training, ×(1 − p)
/// at inference) and PyTorch's inverted one (mask and ×1/(1 − p) in training, identity at inference).
/// </summary>
public sealed class RegularizationExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "regularization";

    /// <inheritdoc />
    public string Title => "Overfitting, weight decay and dropout";

    /// <inheritdoc />
    public string Description => "DLFS 6.4: a 6-hidden-layer MLP on 300 images; weight decay 0.1 and dropout 0.2 (inverted and original) vs none; the train/test gap.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => true;

    private sealed record Settings(int TrainSamples, int? TestLimit, int Hidden, int HiddenLayers, double Lr, int BatchSize, int Epochs, double WeightDecay, double Dropout,
        int Masks);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings(TrainSamples: 300, TestLimit: ctx.Quick ? 2000 : null, Hidden: 100, HiddenLayers: 6, Lr: 0.01, BatchSize: 100,
            Epochs: ctx.Quick ? 100 : 200, WeightDecay: 0.1, Dropout: 0.2, Masks: ctx.Quick ? 20000 : 100000));
        var (train, test) = FashionData.Load(ctx, cfg.TrainSamples, cfg.TestLimit, flatten: true);
        int[] sizes = [784, .. Enumerable.Repeat(cfg.Hidden, cfg.HiddenLayers), 10];
        string p = cfg.Dropout.ToString(CultureInfo.InvariantCulture), wdText = cfg.WeightDecay.ToString(CultureInfo.InvariantCulture);
        var runs = new (string Name, string Key, double Wd, double Dropout, bool Inverted)[]
        {
            ("none", "none", 0, 0, true), ($"weight decay {wdText}", "weight", cfg.WeightDecay, 0, true),
            ($"dropout {p} (inverted)", "dropout", 0, cfg.Dropout, true), ($"dropout {p} (original)", "dropout_original", 0, cfg.Dropout, false),
        };
        var gapLines = new List<Series>();
        var rows = new List<string[]>();
        ctx.Progress(p =>
        {
            foreach (var (name, key, wd, dropout, inverted) in runs)
            {
                var model = ModelFactory.Mlp(sizes, new ModelFactory.Options("relu", Dropout: dropout, Init: "he", InvertedDropout: inverted), ctx.Rng(1));
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
        DropoutForms(ctx, cfg, rows[2], rows[3]);
    }

    // The two forms of dropout on one fixed input: their kept values in training differ by 1/(1 − p), but each one's
    // mean over many masks is its own inference output, so a network trained with either sees, on average, at
    // training time what it gets at inference.
    private static void DropoutForms(ExperimentContext ctx, Settings cfg, string[] invertedRun, string[] originalRun)
    {
        double p = cfg.Dropout;
        var x = Tensor.Linspace(0.5, 5, 10, device: ctx.Device).Reshape(1, 10);
        var xs = x.Reshape(-1).ToArray<float>();
        var rows = new List<string[]>();
        var bars = new List<BarSeries>();
        bool meansAgree = true, scalesAsExpected = true;
        foreach (bool inverted in new[] { false, true })
        {
            string form = inverted ? "inverted (PyTorch)" : "original (the course)";
            var masks = F.Dropout(x.Expand(cfg.Masks, 10), p, training: true, ctx.Rng(3), inverted);
            float[] one = masks.Select(0, 0).ToArray<float>();
            double[] mean = masks.To(DType.Float64).Mean(0).ToArray<double>();
            float[] inference = F.Dropout(x, p, training: false, inverted: inverted).Reshape(-1).ToArray<float>();
            double keptScale = inverted ? 1 / (1 - p) : 1, inferenceScale = inverted ? 1 : 1 - p;
            double worst = 0;
            for (int i = 0; i < xs.Length; i++)
            {
                // The mean of Masks independent draws of x·keptScale·Bernoulli(1 − p) has this standard deviation.
                double sd = xs[i] * keptScale * Math.Sqrt(p * (1 - p) / cfg.Masks);
                worst = Math.Max(worst, Math.Abs(mean[i] - inference[i]) / sd);
                scalesAsExpected &= Math.Abs(inference[i] - xs[i] * inferenceScale) <= 1e-6 * xs[i]
                                    && (one[i] == 0 || Math.Abs(one[i] - xs[i] * keptScale) <= 1e-6 * xs[i] * keptScale);
            }
            meansAgree &= worst < 5;
            string key = inverted ? "inverted" : "original";
            ctx.Metric($"dropout_{key}_kept_scale", keptScale);
            ctx.Metric($"dropout_{key}_inference_scale", inferenceScale);
            ctx.Metric($"dropout_{key}_worst_sd", worst);
            ctx.Metric($"dropout_{key}_mean_x10", mean[^1]);
            ctx.Metric($"dropout_{key}_inference_x10", inference[^1]);
            rows.Add([form, $"× {keptScale:G4}", $"× {inferenceScale:G4}", string.Join(" ", one.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture))),
                string.Join(" ", mean.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture))), string.Join(" ", inference.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture))),
                $"{worst:F2} σ"]);
            bars.Add(new BarSeries($"{(inverted ? "inverted" : "original")}: mean of {cfg.Masks} training outputs", mean));
            bars.Add(new BarSeries($"{(inverted ? "inverted" : "original")}: inference output", inference.Select(v => (double)v).ToArray()));
        }
        ctx.Expect("each form's training-time output averages to its inference output", meansAgree,
            $"every element within 5 standard errors of the mean over {cfg.Masks} masks");
        ctx.Expect($"training-time scales differ: kept × {1 / (1 - p):G4} (inverted) vs × 1 (original); inference × 1 vs × {1 - p:G4}", scalesAsExpected,
            "kept elements and inference outputs scaled exactly so");
        string pt = p.ToString(CultureInfo.InvariantCulture);
        ctx.Report.Heading("Dropout, both forms")
            .Text($"The course's dropout is the original form: in training each unit is dropped with probability p = {pt} and the kept ones pass " +
                  $"unchanged, so a unit's expected output is (1 − p)·x; at inference nothing is dropped and every unit is multiplied by 1 − p = " +
                  $"{1 - p:G4} to match. PyTorch's nn.Dropout (Dendrite's default) is the inverted form: the kept units are multiplied by " +
                  $"1/(1 − p) = {1 / (1 - p):G4} already in training, so the expected output is x and inference is the identity. The two differ " +
                  "only by where the scale goes: the same generator drops the same units, and each form's mean over many masks is its own " +
                  "inference output. Dendrite has both: F.Dropout(x, p, training, inverted: false) and new Dropout(p, inverted: false).")
            .Text($"The runs above train the same network with each form: test accuracy {invertedRun[2]} (inverted) and {originalRun[2]} (original). " +
                  $"With the same learning rate and He initialisation, the original form shrinks the signal: in expectation each of the " +
                  $"{cfg.HiddenLayers} dropout layers passes on 1 − p of its input, (1 − p)^{cfg.HiddenLayers} = {Math.Pow(1 - p, cfg.HiddenLayers):G2} " +
                  "through all of them, and the gradients shrink with it, so it learns more slowly unless the learning rate or the " +
                  "initialisation is adjusted. The inverted form keeps the training-time signal at its inference scale and leaves inference " +
                  "untouched, which is why PyTorch uses it.")
            .Add(new TableBlock($"x = [0.5 … 5], p = {pt}", ["form", "kept units in training", "inference", "one training output",
                $"mean of {cfg.Masks} training outputs", "inference output", "largest gap"], [.. rows]))
            .Add(new BarChartBlock("Mean training output vs inference output, per element of x", "output",
                xs.Select(v => v.ToString("0.##", CultureInfo.InvariantCulture)).ToArray(), [.. bars]));
    }
}

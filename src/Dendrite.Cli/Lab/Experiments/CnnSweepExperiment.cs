using System.Globalization;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Reports;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Training;
using Dendrite.Training.Metrics;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>
/// 14. NNDL 5.x: the hyper-parameters of a convolution, one at a time from a base CNN written as a spec — the number
/// of kernels, the stride and the padding — with each network's feature-map sizes, parameter count, accuracy and time.
/// </summary>
public sealed class CnnSweepExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "cnn-sweep";

    /// <inheritdoc />
    public string Title => "CNN hyper-parameters: kernels, stride and padding";

    /// <inheritdoc />
    public string Description => "NNDL 5: one factor at a time from cnn:c16k5s1p2-pool2-c32k3-pool2-fc64: 4/16/32 kernels, stride 1/2, padding 2/0; size, parameters, accuracy, time.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => true;

    /// <summary>One network of the sweep: the factor it varies, its value and its spec.</summary>
    private sealed record Variant(string Factor, string Value, string Spec);

    private sealed record Settings(Variant[] Variants, int? TrainLimit, int? TestLimit, int BatchSize, double Lr, int Epochs);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        const string tail = "-pool2-c32k3-pool2-fc64";
        var cfg = ctx.UseConfig(new Settings(
            Variants:
            [
                new("base", "16 kernels, stride 1, padding 2", "c16k5s1p2" + tail),
                new("kernels", "4", "c4k5s1p2" + tail),
                new("kernels", "32", "c32k5s1p2" + tail),
                new("stride", "2", "c16k5s2p2" + tail),
                new("padding", "0", "c16k5s1p0" + tail),
            ],
            TrainLimit: ctx.Quick ? 2000 : 10000, TestLimit: ctx.Quick ? 1000 : null, BatchSize: ctx.Quick ? 32 : 64, Lr: 3e-3, Epochs: ctx.Quick ? 1 : 2));
        var (train, test) = FashionData.Load(ctx, cfg.TrainLimit, cfg.TestLimit, flatten: false);

        var rows = new List<string[]>();
        var accuracies = new List<double>();
        var parameters = new List<double>();
        var conv1 = new Dictionary<string, (int H, int W)>();
        bool sizesMatch = true, countsMatch = true;
        ctx.Progress(p =>
        {
            foreach (var v in cfg.Variants)
            {
                var spec = CnnSpec.Parse("cnn:" + v.Spec);
                var model = (Sequential)ModelFactory.Build("cnn:" + v.Spec, new ModelFactory.Options("relu"), ctx.Rng(1));
                var first = spec.Layers[0];
                // The first convolution's output, measured, against ⌊(W + 2P − K)/S⌋ + 1.
                int expected = (28 + 2 * first.Padding - first.Size) / first.Stride + 1;
                Tensor map;
                using (Grad.NoGrad()) map = model[0].Forward(Tensor.Zeros(1, 1, 28, 28));
                sizesMatch &= map.Size(2) == expected && map.Size(3) == expected && map.Size(1) == first.Units;
                conv1[v.Spec] = (map.Size(2), map.Size(3));
                // Parameters: k²·C_in·C_out + C_out per convolution, in·out + out per linear layer.
                long closedForm = spec.ParameterCount(1, 28, 28, 10);
                countsMatch &= closedForm == model.ParameterCount;

                var trainer = new Trainer(model, new Adam(model.Parameters(), lr: cfg.Lr), new CrossEntropyLoss(), [new Accuracy()]);
                trainer.EvaluationLoaders["test"] = LabTrainer.EvalLoader(test);
                string label = v.Factor == "base" ? "base" : $"{v.Factor} {v.Value}";
                var fit = LabTrainer.Fit(ctx, p, label, trainer, LabTrainer.Loader(train, cfg.BatchSize, ctx.Rng(2)), null, cfg.Epochs);
                double acc = fit.History.Last("test_accuracy") ?? double.NaN;
                accuracies.Add(acc);
                parameters.Add(model.ParameterCount);
                string key = label.Replace(' ', '_');
                ctx.Metric($"test_acc_{key}", acc);
                ctx.Metric($"parameters_{key}", model.ParameterCount);
                ctx.Metric($"conv1_size_{key}", map.Size(2));
                ctx.Metric($"flat_features_{key}", spec.FlatFeatures(1, 28, 28));
                rows.Add([label, "cnn:" + v.Spec, $"{first.Units}×{map.Size(2)}×{map.Size(3)}", spec.FlatFeatures(1, 28, 28).ToString(CultureInfo.InvariantCulture),
                    model.ParameterCount.ToString("N0", CultureInfo.InvariantCulture), acc.ToString("F4", CultureInfo.InvariantCulture),
                    fit.Seconds.ToString("F1", CultureInfo.InvariantCulture)]);
            }
        });

        ctx.Expect("each first convolution's output is ⌊(W + 2P − K)/S⌋ + 1 wide", sizesMatch,
            string.Join(", ", cfg.Variants.Select(v => $"{v.Spec.Split('-')[0]}: {conv1[v.Spec].H}×{conv1[v.Spec].W}")));
        ctx.Expect("each network has k²·C_in·C_out + C_out parameters per convolution and in·out + out per linear layer", countsMatch,
            string.Join(", ", cfg.Variants.Zip(parameters, (v, n) => $"{v.Spec.Split('-')[0]}: {n:N0}")));
        var (stride1, stride2) = (conv1[cfg.Variants[0].Spec], conv1[cfg.Variants[3].Spec]);
        ctx.Expect("stride 2 quarters the first feature map", stride2.H * stride2.W * 4 == stride1.H * stride1.W,
            $"{stride1.H}×{stride1.W} at stride 1, {stride2.H}×{stride2.W} at stride 2");
        var pad0 = conv1[cfg.Variants[4].Spec];
        ctx.Expect("padding 2 keeps a 5×5 convolution's output at 28×28, padding 0 shrinks it by 4", stride1 == (28, 28) && pad0 == (24, 24),
            $"padding 2: {stride1.H}×{stride1.W}, padding 0: {pad0.H}×{pad0.W}");
        ctx.FullTarget("every network reaches 0.75 test accuracy (full mode)", accuracies.All(a => a >= 0.75),
            string.Join(", ", accuracies.Select(a => a.ToString("F3", CultureInfo.InvariantCulture))));

        string[] labels = [.. rows.Select(r => r[0])];
        ctx.Report.Text($"Each network is cnn:<first convolution>{tail}: the first convolution varies one factor at a time from the base " +
                        $"c16k5s1p2 (16 kernels of 5×5, stride 1, padding 2). Adam lr {cfg.Lr.ToString(CultureInfo.InvariantCulture)}, batch {cfg.BatchSize}, " +
                        $"{cfg.Epochs} epoch{(cfg.Epochs > 1 ? "s" : "")} on {train.Count} training images, tested on {test.Count}. A convolution of K×K " +
                        "kernels with stride S and padding P turns a W×W input into ⌊(W + 2P − K)/S⌋ + 1 outputs per side: padding 2 keeps a 5×5 " +
                        "convolution's output at 28×28, padding 0 shrinks it to 24×24, stride 2 halves each side (a quarter of the positions, and of the " +
                        "first convolution's multiply-adds). More kernels cost parameters in the convolutions; a larger final feature map costs them in the fully connected " +
                        "layer, which holds most of them. The time is the training time of this run on this machine.")
            .Add(new TableBlock("Kernels, stride and padding", ["network", "spec", "first feature map", "features into fc64", "parameters", "test accuracy",
                "train time (s)"], [.. rows]))
            .Add(new BarChartBlock("Test accuracy", "accuracy", labels, [new BarSeries("test accuracy", [.. accuracies])]))
            .Add(new BarChartBlock("Parameters", "parameters", labels, [new BarSeries("parameters", [.. parameters])]));
    }
}

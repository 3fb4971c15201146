using System.Globalization;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Reports;
using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>
/// 3. Why weights are not initialised to zero: with all-zero weights every hidden unit computes the same thing and
/// receives the same gradient, so they stay identical; then what random initialisations draw.
/// </summary>
public sealed class InitSymmetryExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "init-symmetry";

    /// <inheritdoc />
    public string Title => "All-zero initialisation and symmetry";

    /// <inheritdoc />
    public string Description => "Zero init: the first loss is ln 2, hidden units stay identical, accuracy stays near chance; N(0,1) vs U(−1,1) samples.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => false;

    private sealed record Settings(int Samples, double Noise, int Hidden, double Lr, int Epochs, int PrintSteps, int HistogramSamples);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings(Samples: 1000, Noise: 0.1, Hidden: 5, Lr: 0.2, Epochs: ctx.Quick ? 300 : 1000, PrintSteps: 5,
            HistogramSamples: ctx.Quick ? 5000 : 20000));
        var data = LabDatasets.Moons(cfg.Samples, cfg.Noise, ctx.Rng(0));
        var (train, test) = (data.Slice(0, 800), data.Slice(800, 200));

        var results = new List<string[]>();
        ctx.Progress(p =>
        {
            foreach (var (label, activation, zero) in new (string, Func<Module>, bool)[]
                     {
                         ("sigmoid, zero init", () => new Sigmoid(), true),
                         ("ReLU, zero init", () => new ReLU(), true),
                         ("sigmoid, N(0,1) init", () => new Sigmoid(), false),
                     })
            {
                var fc1 = new Linear(2, cfg.Hidden);
                var fc2 = new Linear(cfg.Hidden, 1);
                var model = new Sequential(fc1, activation(), fc2, new Sigmoid());
                var rng = ctx.Rng(1);
                foreach (var param in model.Parameters())
                    if (zero) Init.Zeros_(param);
                    else Init.Normal_(param, 0, 1, rng);
                var opt = new SGD(model.Parameters(), lr: cfg.Lr);

                double firstLoss;
                using (Grad.NoGrad()) firstLoss = Bce(model.Forward(train.X), train.Y).Item();
                double maxSpread = 0;
                var steps = new List<string[]>();
                var bar = p.AddTask(label, cfg.Epochs);
                for (int step = 1; step <= cfg.Epochs; step++)
                {
                    var loss = Bce(model.Forward(train.X), train.Y);
                    opt.ZeroGrad();
                    loss.Backward();
                    opt.Step();
                    // Spread between hidden units: max over units of |row_i − row_0| for W1 and b1.
                    float[] w1 = fc1.Weight.ToArray<float>(), b1 = fc1.Bias!.ToArray<float>();
                    double spread = 0;
                    for (int u = 1; u < cfg.Hidden; u++)
                        spread = Math.Max(spread, Math.Max(Math.Max(Math.Abs(w1[2 * u] - w1[0]), Math.Abs(w1[2 * u + 1] - w1[1])), Math.Abs(b1[u] - b1[0])));
                    maxSpread = Math.Max(maxSpread, spread);
                    if (zero && step <= cfg.PrintSteps)
                    {
                        string rows = string.Join(" ", Enumerable.Range(0, cfg.Hidden).Select(u => $"[{w1[2 * u]:+0.0000;-0.0000},{w1[2 * u + 1]:+0.0000;-0.0000}]"));
                        steps.Add([step.ToString(CultureInfo.InvariantCulture), loss.Item().ToString("F4", CultureInfo.InvariantCulture), rows]);
                        ctx.Log($"  {label} step {step}: loss {loss.Item():F4} W1 rows {rows}", Ui.Tone.Detail);
                    }
                    ctx.History.Log(label.Replace(",", ""), step, ("train_loss", loss.Item()));
                    bar.Update(step, $"loss {loss.Item():F4}");
                }
                bar.Complete("");
                double acc;
                using (Grad.NoGrad()) acc = Accuracy(model.Forward(test.X), test.Y);
                string key = label.Replace(", ", "_").Replace(" ", "_").Replace("(", "").Replace(")", "").Replace(",", "");
                ctx.Metric($"first_loss_{key}", firstLoss);
                ctx.Metric($"test_acc_{key}", acc);
                ctx.Metric($"hidden_spread_{key}", maxSpread);
                results.Add([label, firstLoss.ToString("F6", CultureInfo.InvariantCulture), maxSpread.ToString("G3", CultureInfo.InvariantCulture),
                    acc.ToString("F3", CultureInfo.InvariantCulture)]);
                if (zero)
                {
                    ctx.Expect($"{label}: first loss is ln 2", Math.Abs(firstLoss - Math.Log(2)) < 1e-6, $"{firstLoss:F6} vs {Math.Log(2):F6}");
                    ctx.Expect($"{label}: hidden units stay identical", maxSpread < 1e-6, $"largest difference between units {maxSpread:G3}");
                    ctx.Report.Add(new TableBlock($"{label}: the first {cfg.PrintSteps} steps (each hidden unit's weights)", ["step", "loss", "W1 rows"], [.. steps]));
                }
                if (label.StartsWith("ReLU", StringComparison.Ordinal))
                    ctx.Expect("ReLU, zero init: accuracy stays at chance", Math.Abs(acc - 0.5) < 0.06, $"test accuracy {acc:F3}");
                ctx.Report.Add(LabPlots.DecisionBoundary($"{label}: test accuracy {acc:F3}", model, test));
            }
        });
        ctx.Report.Blocks.Insert(0, new TableBlock("Zero vs random initialisation", ["network", "first loss", "max spread of hidden units", "test accuracy"], [.. results]));
        ctx.Report.Blocks.Insert(0, new TextBlock(
            "With every weight zero the output is σ(0) = 0.5 for every sample, so the first loss is ln 2 ≈ 0.6931. Every hidden unit " +
            "computes the same value and receives the same gradient, so the units stay identical: the network behaves as if it had " +
            "one hidden unit (with sigmoid it can still learn a nearly linear boundary). With ReLU, relu′(0) = 0 and the hidden layer never " +
            "moves: only the output bias learns and accuracy stays at chance. A random initialisation breaks the symmetry."));

        // What the two common random initialisations draw.
        var rng2 = ctx.Rng(5);
        var normal = Tensor.RandN([cfg.HistogramSamples], rng2, DType.Float64).ToArray<double>();
        var uniform = Tensor.Rand([cfg.HistogramSamples], rng2, DType.Float64).ToArray<double>().Select(u => 2 * u - 1).ToArray();
        ctx.Metric("normal_sample_std", LabPlots.MeanStd(normal).Std);
        ctx.Metric("uniform_sample_std", LabPlots.MeanStd(uniform).Std);
        ctx.Report.Heading("N(0, 1) vs U(−1, 1)")
            .Text($"{cfg.HistogramSamples} samples each: std {LabPlots.MeanStd(normal).Std:F3} (theory 1) and {LabPlots.MeanStd(uniform).Std:F3} (theory 1/√3 ≈ 0.577).")
            .Add(new HistogramBlock("Initial weight samples", "value", -4, 4,
                [new BarSeries("N(0, 1)", BarCharts.Bin(normal, -4, 4, 64)), new BarSeries("U(−1, 1)", BarCharts.Bin(uniform, -4, 4, 64))]));
    }

    // Binary cross-entropy of sigmoid outputs [N, 1] against 0/1 labels [N].
    private static Tensor Bce(Tensor p, Tensor y) => F.BinaryCrossEntropy(p.Reshape(-1), y);

    // Fraction of outputs on the right side of 0.5.
    private static double Accuracy(Tensor p, Tensor y) => p.Reshape(-1).Ge(0.5).To(DType.Float32).Eq(y).To(DType.Float32).Mean().Item();
}

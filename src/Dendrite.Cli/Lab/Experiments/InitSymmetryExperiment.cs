using System.Globalization;
using System.Text;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Reports;
using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>
/// 3. NNDL 4.5.1: why weights are not initialised to zero. The course's five SGD steps of an all-zero 2-5-1 sigmoid
/// network, with every weight printed: the first loss is ln 2, step 1 moves only the output layer (by a closed form
/// in the share of positive labels), and the hidden units stay identical. Then longer runs and what random
/// initialisations draw.
/// </summary>
public sealed class InitSymmetryExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "init-symmetry";

    /// <inheritdoc />
    public string Title => "All-zero initialisation and symmetry";

    /// <inheritdoc />
    public string Description => "NNDL 4.5.1: five SGD steps of a zero-initialised 2-5-1 net with fc1 and fc2 printed; hidden units stay identical; N(0,1) vs U(−1,1).";

    /// <inheritdoc />
    public bool NeedsFashionMnist => false;

    private sealed record Settings(int Samples, double Noise, int Train, int Dev, int Test, int Hidden, double Lr, int CourseSteps, int Epochs,
        int HistogramSamples);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings(Samples: 1000, Noise: 0.1, Train: 640, Dev: 160, Test: 200, Hidden: 5, Lr: 0.2, CourseSteps: 5,
            Epochs: ctx.Quick ? 300 : 1000, HistogramSamples: ctx.Quick ? 5000 : 20000));
        var data = LabDatasets.Moons(cfg.Samples, cfg.Noise, ctx.Rng(0));
        var (train, dev, test) = (data.Slice(0, cfg.Train), data.Slice(cfg.Train, cfg.Dev), data.Slice(cfg.Train + cfg.Dev, cfg.Test));
        CourseSteps(ctx, cfg, train, dev);
        LongRuns(ctx, cfg, train, dev, test);
        Samples(ctx, cfg);
    }

    // The course's run: zero weights and biases, BCE, full-batch SGD, every parameter printed after each step.
    private static void CourseSteps(ExperimentContext ctx, Settings cfg, LabeledData train, LabeledData dev)
    {
        var fc1 = new Linear(2, cfg.Hidden);
        var fc2 = new Linear(cfg.Hidden, 1);
        var model = new Sequential(fc1, new Sigmoid(), fc2, new Sigmoid());
        foreach (var param in model.Parameters()) Init.Zeros_(param);
        var opt = new SGD(model.Parameters(), lr: cfg.Lr);
        double positives = train.Y.Mean().Item();
        // Step 1 in closed form: every output is σ(0) = ½ and every hidden activation ½, so ∂L/∂b₂ = mean(½ − y) = ½ − p̄
        // and ∂L/∂w₂ⱼ = ½·(½ − p̄); fc1 gets no gradient because it reaches the output only through w₂ = 0.
        double expectedBias = cfg.Lr * (positives - 0.5), expectedWeight = cfg.Lr * 0.5 * (positives - 0.5);

        var rows = new List<string[]>();
        var dump = new StringBuilder();
        bool alwaysIdentical = true;
        double firstLoss = double.NaN;
        for (int step = 1; step <= cfg.CourseSteps; step++)
        {
            var loss = Bce(model.Forward(train.X), train.Y);
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
            double lossValue = loss.Item(), devAcc;
            using (Grad.NoGrad()) devAcc = Accuracy(model.Forward(dev.X), dev.Y);
            float[] w1 = fc1.Weight.ToArray<float>(), b1 = fc1.Bias!.ToArray<float>(), w2 = fc2.Weight.ToArray<float>(), b2 = fc2.Bias!.ToArray<float>();
            bool identical = Enumerable.Range(1, cfg.Hidden - 1).All(u => w1[2 * u] == w1[0] && w1[2 * u + 1] == w1[1] && b1[u] == b1[0] && w2[u] == w2[0]);
            alwaysIdentical &= identical;
            if (step == 1)
            {
                firstLoss = lossValue;
                ctx.Expect("step 1: the first loss is ln 2", Math.Abs(lossValue - Math.Log(2)) < 1e-6, $"{lossValue:F7} vs ln 2 = {Math.Log(2):F7}");
                ctx.Expect("step 1: fc1 is still exactly 0", w1.All(v => v == 0) && b1.All(v => v == 0), $"all {w1.Length} weights and {b1.Length} biases of fc1 are 0");
                bool closed = w2.All(v => Close(v, expectedWeight)) && Close(b2[0], expectedBias);
                ctx.Expect("step 1: fc2 matches the closed form lr·½·(p̄ − ½), lr·(p̄ − ½)", closed,
                    $"p̄ = {positives:F6}: fc2.weight {LabFormat.Sci(w2[0])} vs {LabFormat.Sci(expectedWeight)}, fc2.bias {LabFormat.Sci(b2[0])} vs {LabFormat.Sci(expectedBias)}");
                ctx.Metric("course_fc2_weight_step1", w2[0]);
                ctx.Metric("course_fc2_bias_step1", b2[0]);
                ctx.Metric("course_dev_acc_step1", devAcc);
            }
            if (step == 2)
            {
                ctx.Metric("course_fc1_weight_step2_0", w1[0]);
                ctx.Metric("course_fc1_weight_step2_1", w1[1]);
            }
            rows.Add([step.ToString(CultureInfo.InvariantCulture), lossValue.ToString("F7", CultureInfo.InvariantCulture), devAcc.ToString("F4", CultureInfo.InvariantCulture),
                LabFormat.Vector(w1.Take(2)), identical ? $"all {cfg.Hidden} equal" : "differ", LabFormat.Sci(b1[0]), LabFormat.Sci(w2[0]), LabFormat.Sci(b2[0])]);
            dump.Append($"after step {step} (loss {lossValue:F7}, dev accuracy {devAcc:F4}):\n")
                .Append("fc1.weight = ").Append(LabFormat.Matrix(w1, cfg.Hidden, 2, indent: 13)).Append('\n')
                .Append("fc1.bias   = ").Append(LabFormat.Vector(b1)).Append('\n')
                .Append("fc2.weight = ").Append(LabFormat.Matrix(w2, 1, cfg.Hidden, indent: 13)).Append('\n')
                .Append("fc2.bias   = ").Append(LabFormat.Vector(b2)).Append("\n\n");
            ctx.Log($"  step {step}: loss {lossValue:F7}, dev accuracy {devAcc:F4}, fc1.weight row {LabFormat.Vector(w1.Take(2))}, " +
                    $"fc2.weight {LabFormat.Sci(w2[0])}, fc2.bias {LabFormat.Sci(b2[0])}", Ui.Tone.Detail);
        }
        ctx.Expect($"every step: the {cfg.Hidden} rows of fc1 (and their biases and fc2 weights) are identical", alwaysIdentical,
            alwaysIdentical ? "bitwise equal after each of the five steps" : "the hidden units differ");
        ctx.Metric("course_first_loss", firstLoss);
        ctx.Metric("positive_share_train", positives);

        ctx.Report.Heading($"The course's {cfg.CourseSteps} steps")
            .Text($"A 2-{cfg.Hidden}-1 sigmoid network with every weight and bias 0, BCE loss, full-batch SGD with lr {cfg.Lr} on " +
                  $"the course's {cfg.Train}/{cfg.Dev}/{cfg.Test} train/dev/test split of {cfg.Samples} moons (a share p̄ = {positives:F6} of the " +
                  $"training labels is positive). Every output is σ(0) = ½, so the first loss is ln 2 = {Math.Log(2):F7}. Step 1 moves only fc2: " +
                  $"each weight by lr·½·(p̄ − ½) = {LabFormat.Sci(expectedWeight)} and the bias by lr·(p̄ − ½) = {LabFormat.Sci(expectedBias)}; " +
                  "fc1 stays 0 because its gradient is multiplied by fc2's zero weights. From step 2 on fc1 moves, but all of its rows by the " +
                  "same amount: the hidden units are copies of one another and stay so.")
            .Text("The course prints, on its own data (p̄ ≈ 0.509): fc2.weight 0.0009 and fc2.bias 0.0019 after step 1 with fc1 still 0, " +
                  "every row of fc1.weight [1.2101e-05, -9.0942e-06] after step 2, first loss 0.6931473 and dev accuracy 0.5125.")
            .Add(new TableBlock("Parameters after each step", ["step", "train loss", "dev accuracy", "fc1.weight row 0", "fc1 rows", "fc1.bias[0]",
                "fc2.weight[0]", "fc2.bias"], [.. rows]))
            .Text(dump.ToString().TrimEnd(), mono: true);
    }

    // Longer runs of the same split: zero init with sigmoid and ReLU, and N(0, 1) init, with their decision boundaries.
    private static void LongRuns(ExperimentContext ctx, Settings cfg, LabeledData train, LabeledData dev, LabeledData test)
    {
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
                var model = new Sequential(fc1, activation(), new Linear(cfg.Hidden, 1), new Sigmoid());
                var rng = ctx.Rng(1);
                foreach (var param in model.Parameters())
                    if (zero) Init.Zeros_(param);
                    else Init.Normal_(param, 0, 1, rng);
                var opt = new SGD(model.Parameters(), lr: cfg.Lr);
                double maxSpread = 0;
                var bar = p.AddTask(label, cfg.Epochs);
                for (int step = 1; step <= cfg.Epochs; step++)
                {
                    var loss = Bce(model.Forward(train.X), train.Y);
                    opt.ZeroGrad();
                    loss.Backward();
                    opt.Step();
                    maxSpread = Math.Max(maxSpread, Spread(fc1, cfg.Hidden));
                    ctx.History.Log(label.Replace(",", ""), step, ("train_loss", loss.Item()));
                    bar.Update(step, $"loss {loss.Item():F4}");
                }
                bar.Complete("");
                double devAcc, testAcc;
                using (Grad.NoGrad())
                {
                    devAcc = Accuracy(model.Forward(dev.X), dev.Y);
                    testAcc = Accuracy(model.Forward(test.X), test.Y);
                }
                string key = label.Replace(", ", "_").Replace(" ", "_").Replace("(", "").Replace(")", "").Replace(",", "");
                ctx.Metric($"test_acc_{key}", testAcc);
                ctx.Metric($"hidden_spread_{key}", maxSpread);
                results.Add([label, LabFormat.Sci(maxSpread), devAcc.ToString("F3", CultureInfo.InvariantCulture), testAcc.ToString("F3", CultureInfo.InvariantCulture)]);
                if (zero)
                    ctx.Expect($"{label}: hidden units stay identical for {cfg.Epochs} steps", maxSpread == 0, $"largest difference between units {LabFormat.Sci(maxSpread)}");
                if (label.StartsWith("ReLU", StringComparison.Ordinal))
                    ctx.Expect("ReLU, zero init: accuracy stays at chance", Math.Abs(testAcc - 0.5) < 0.06, $"test accuracy {testAcc:F3}");
                ctx.Report.Add(LabPlots.DecisionBoundary($"{label}: test accuracy {testAcc:F3}", model, test));
            }
        });
        int at = ctx.Report.Blocks.Count - 3;
        ctx.Report.Blocks.InsertRange(at,
        [
            new HeadingBlock($"{cfg.Epochs} steps: zero vs random initialisation"),
            new TextBlock("Kept going, the zero-initialised sigmoid network still has identical hidden units (it behaves like a network with " +
                          "one hidden unit and learns a nearly linear boundary). With ReLU, relu′(0) = 0: the hidden layer never moves, only " +
                          "the output bias learns and accuracy stays at chance. A random initialisation breaks the symmetry."),
            new TableBlock("Zero vs random initialisation", ["network", "max spread of hidden units", "dev accuracy", "test accuracy"], [.. results]),
        ]);
    }

    // What the two common random initialisations draw.
    private static void Samples(ExperimentContext ctx, Settings cfg)
    {
        var rng = ctx.Rng(5);
        var normal = Tensor.RandN([cfg.HistogramSamples], rng, DType.Float64).ToArray<double>();
        var uniform = Tensor.Rand([cfg.HistogramSamples], rng, DType.Float64).ToArray<double>().Select(u => 2 * u - 1).ToArray();
        ctx.Metric("normal_sample_std", LabPlots.MeanStd(normal).Std);
        ctx.Metric("uniform_sample_std", LabPlots.MeanStd(uniform).Std);
        ctx.Report.Heading("N(0, 1) vs U(−1, 1)")
            .Text($"{cfg.HistogramSamples} samples each: std {LabPlots.MeanStd(normal).Std:F3} (theory 1) and {LabPlots.MeanStd(uniform).Std:F3} (theory 1/√3 ≈ 0.577).")
            .Add(new HistogramBlock("Initial weight samples", "value", -4, 4,
                [new BarSeries("N(0, 1)", BarCharts.Bin(normal, -4, 4, 64)), new BarSeries("U(−1, 1)", BarCharts.Bin(uniform, -4, 4, 64))]));
    }

    // Largest difference between a hidden unit's incoming weights and bias and those of unit 0.
    private static double Spread(Linear fc1, int hidden)
    {
        float[] w1 = fc1.Weight.ToArray<float>(), b1 = fc1.Bias!.ToArray<float>();
        double spread = 0;
        for (int u = 1; u < hidden; u++)
            spread = Math.Max(spread, Math.Max(Math.Max(Math.Abs(w1[2 * u] - w1[0]), Math.Abs(w1[2 * u + 1] - w1[1])), Math.Abs(b1[u] - b1[0])));
        return spread;
    }

    // float32 results against a closed form computed in double.
    private static bool Close(double actual, double expected) => Math.Abs(actual - expected) <= 1e-5 * Math.Abs(expected) + 1e-9;

    // Binary cross-entropy of sigmoid outputs [N, 1] against 0/1 labels [N].
    private static Tensor Bce(Tensor p, Tensor y) => F.BinaryCrossEntropy(p.Reshape(-1), y);

    // Fraction of outputs on the right side of 0.5 (an output of exactly 0.5 counts as class 1, as in the course).
    private static double Accuracy(Tensor p, Tensor y) => p.Reshape(-1).Ge(0.5).To(DType.Float32).Eq(y).To(DType.Float32).Mean().Item();
}

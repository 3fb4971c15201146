using System.Diagnostics;
using System.Globalization;
using Dendrite.Cli.Reports;
using Dendrite.NN;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>
/// 16. The gradients of a 2-layer MLP with softmax cross-entropy, by hand-written backpropagation and by autograd:
/// their largest difference and the time per step of each.
/// </summary>
public sealed class AutogradVsManualExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "autograd-vs-manual";

    /// <inheritdoc />
    public string Title => "Hand-written backprop vs autograd";

    /// <inheritdoc />
    public string Description => "A 2-layer ReLU MLP's gradients by hand and by autograd: maximum difference and time per step.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => false;

    private sealed record Settings(int Batch, int Inputs, int Hidden, int Classes, int TimedSteps);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings(Batch: 256, Inputs: 784, Hidden: 256, Classes: 10, TimedSteps: ctx.Quick ? 5 : 50));
        var rng = ctx.Rng(0);
        // Float64 so that the comparison measures the method, not float32 rounding.
        var x = Tensor.RandN([cfg.Batch, cfg.Inputs], rng, DType.Float64);
        var labels = Tensor.RandInt(0, cfg.Classes, [cfg.Batch], rng);
        var w1 = Tensor.RandN([cfg.Hidden, cfg.Inputs], rng, DType.Float64).Mul(Math.Sqrt(2.0 / cfg.Inputs));
        var b1 = Tensor.Zeros([cfg.Hidden], DType.Float64);
        var w2 = Tensor.RandN([cfg.Classes, cfg.Hidden], rng, DType.Float64).Mul(Math.Sqrt(1.0 / cfg.Hidden));
        var b2 = Tensor.Zeros([cfg.Classes], DType.Float64);
        Tensor[] parameters = [w1, b1, w2, b2];
        foreach (var p in parameters) p.RequiresGrad = true;

        Tensor[] ByAutograd()
        {
            foreach (var p in parameters) p.Grad = null;
            var loss = F.CrossEntropy(x.Linear(w1, b1).Relu().Linear(w2, b2), labels);
            loss.Backward();
            return parameters.Select(p => p.Grad!).ToArray();
        }

        var oneHot = Tensor.OneHot(labels, cfg.Classes).To(DType.Float64);
        Tensor[] ByHand()
        {
            using var _ = Grad.NoGrad();
            var z1 = x.Linear(w1, b1);                                  // [B, H]
            var h = z1.Relu();
            var logits = h.Linear(w2, b2);                              // [B, C]
            // d(mean CE)/d logits = (softmax(logits) − onehot(y)) / B
            var dLogits = logits.Softmax(1).Sub(oneHot).Div(cfg.Batch);
            var dW2 = dLogits.T.MatMul(h);                              // [C, H]
            var dB2 = dLogits.Sum(0);
            var dH = dLogits.MatMul(w2);                                // [B, H]
            var dZ1 = dH.Mul(z1.Gt(0).To(DType.Float64));               // relu'(z) = 1 where z > 0
            var dW1 = dZ1.T.MatMul(x);                                  // [H, D]
            var dB1 = dZ1.Sum(0);
            return [dW1, dB1, dW2, dB2];
        }

        var auto = ByAutograd();
        var manual = ByHand();
        string[] names = ["W1", "b1", "W2", "b2"];
        var rows = new List<string[]>();
        double maxDiff = 0;
        for (int i = 0; i < names.Length; i++)
        {
            double diff = auto[i].Sub(manual[i]).Abs().Max().Item();
            double scale = auto[i].Abs().Max().Item();
            maxDiff = Math.Max(maxDiff, diff);
            rows.Add([names[i], string.Join("×", auto[i].Shape), diff.ToString("G3", CultureInfo.InvariantCulture), scale.ToString("G3", CultureInfo.InvariantCulture)]);
        }
        ctx.Metric("max_abs_difference", maxDiff);
        ctx.Expect("autograd and hand-written gradients agree (float64)", maxDiff < 1e-12, $"max |Δ| = {maxDiff:G3}");

        double TimePerStep(Func<Tensor[]> f)
        {
            for (int i = 0; i < 3; i++) f();
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < cfg.TimedSteps; i++) f();
            return sw.Elapsed.TotalMilliseconds / cfg.TimedSteps;
        }
        double autoMs = TimePerStep(ByAutograd), manualMs = TimePerStep(ByHand);
        ctx.Metric("autograd_ms_per_step", autoMs);
        ctx.Metric("manual_ms_per_step", manualMs);
        ctx.Log($"  forward+backward: autograd {autoMs:F2} ms/step, manual {manualMs:F2} ms/step");
        ctx.Report.Text($"Batch {cfg.Batch}, {cfg.Inputs}-{cfg.Hidden}-{cfg.Classes} ReLU MLP, mean softmax cross-entropy, float64. " +
                        "The manual version writes the chain rule out: ∂L/∂logits = (softmax − onehot)/B, then back through each Linear and the ReLU mask.")
            .Add(new TableBlock("Gradient differences", ["parameter", "shape", "max |autograd − manual|", "max |gradient|"], [.. rows]))
            .Add(new BarChartBlock("Time per forward+backward step", "ms", ["autograd", "hand-written"], [new BarSeries("ms per step", [autoMs, manualMs])]));
    }
}

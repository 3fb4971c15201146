using System.Globalization;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Reports;
using Dendrite.NN;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>
/// 4. NNDL 4.4.2: gradient norms per layer of a deep narrow net after one step; sigmoid gradients shrink layer by
/// layer, ReLU keeps them; with biases −8 ReLU units are dead (every weight gradient exactly zero, only the output bias
/// learns) while LeakyReLU still learns, more so with a larger negative slope.
/// </summary>
public sealed class VanishingGradientsExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "vanishing-gradients";

    /// <inheritdoc />
    public string Title => "Vanishing gradients and dead ReLUs";

    /// <inheritdoc />
    public string Description => "NNDL 4.4.2: per-layer gradient norms of a 2-3-3-3-3-1 net (sigmoid vs ReLU), then dead ReLU (only the output bias learns) vs LeakyReLU 0.01 and 0.1.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => false;

    private sealed record Settings(int[] Sizes, double WeightStd, double Bias, double DeadBias, int Samples, int Train, double Lr, double[] LeakySlopes);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings(Sizes: [2, 3, 3, 3, 3, 1], WeightStd: 0.01, Bias: 1, DeadBias: -8, Samples: 1000, Train: 640, Lr: 0.2,
            LeakySlopes: [0.01, 0.1]));
        // The course computes the gradients on its training split (the first 640 of the 1000 moons).
        var data = LabDatasets.Moons(cfg.Samples, 0.1, ctx.Rng(0)).Slice(0, cfg.Train);
        double positives = data.Y.Mean().Item();
        string[] layers = Enumerable.Range(1, cfg.Sizes.Length - 1).Select(i => $"layer {i}").ToArray();

        string Slope(double s) => s.ToString(CultureInfo.InvariantCulture);
        var runs = new List<(string Name, string Key, Func<Tensor, Tensor> Act, double Bias)>
        {
            ("sigmoid, bias 1", "sigmoid_b1", x => x.Sigmoid(), cfg.Bias),
            ("ReLU, bias 1", "relu_b1", x => x.Relu(), cfg.Bias),
            ("ReLU, bias -8", "relu_b-8", x => x.Relu(), cfg.DeadBias),
        };
        foreach (double slope in cfg.LeakySlopes)
            runs.Add(($"LeakyReLU {Slope(slope)}, bias -8", $"leakyrelu{Slope(slope)}_b-8", x => x.LeakyRelu(slope), cfg.DeadBias));
        var norms = new Dictionary<string, double[]>();
        var outputBiasGrads = new Dictionary<string, double>();
        foreach (var (name, key, act, bias) in runs)
        {
            // Hand-built layers: W_l ~ N(0, std²), b_l = bias; the same random weights for every run.
            var rng = ctx.Rng(1);
            var ws = new List<Tensor>();
            var bs = new List<Tensor>();
            for (int l = 0; l + 1 < cfg.Sizes.Length; l++)
            {
                ws.Add(Tensor.RandN([cfg.Sizes[l + 1], cfg.Sizes[l]], rng).Mul(cfg.WeightStd).Detach_().RequiresGradTrue());
                bs.Add(Tensor.Full([cfg.Sizes[l + 1]], bias, requiresGrad: true));
            }
            var h = data.X;
            for (int l = 0; l < ws.Count; l++)
            {
                var z = h.Linear(ws[l], bs[l]);
                h = l == ws.Count - 1 ? z.Sigmoid() : act(z);
            }
            var loss = F.BinaryCrossEntropy(h.Reshape(-1), data.Y);
            loss.Backward();
            var n = ws.Select(w => Math.Sqrt(w.Grad!.Square().Sum().Item())).ToArray();
            double outputBiasGrad = bs[^1].Grad!.Item();
            // One SGD step, as the book does, so the reported norms belong to a real update.
            using (Grad.NoGrad())
                foreach (var p in ws.Concat(bs)) p.SubInPlace(p.Grad!.Mul(cfg.Lr));
            norms[name] = n;
            outputBiasGrads[name] = outputBiasGrad;
            ctx.Log($"  {name,-24} gradient L2 norms: {string.Join("  ", n.Select(v => v.ToString("0.###e0", CultureInfo.InvariantCulture)))}; " +
                    $"output bias gradient {outputBiasGrad:F4}");
            for (int l = 0; l < n.Length; l++)
                ctx.Metric($"grad_norm_{key}_layer{l + 1}", n[l]);
            ctx.Metric($"output_bias_grad_{key}", outputBiasGrad);
        }

        var sig = norms["sigmoid, bias 1"];
        ctx.Expect("sigmoid gradients shrink towards the input", sig[0] < sig[^1] * 0.1, $"layer 1 {sig[0]:G3} vs layer {sig.Length} {sig[^1]:G3}");
        var dead = norms["ReLU, bias -8"];
        ctx.Expect("dead ReLU: every weight gradient is exactly 0", dead.All(v => v == 0),
            string.Join(", ", dead.Select(v => v.ToString("G3", CultureInfo.InvariantCulture))));
        // With every hidden unit at 0 the output is σ(−8) for every sample, so ∂L/∂b_out = mean(σ(−8) − y) = σ(−8) − p̄.
        double deadBiasGrad = outputBiasGrads["ReLU, bias -8"], closedForm = 1 / (1 + Math.Exp(-cfg.DeadBias)) - positives;
        ctx.Metric("positive_share_train", positives);
        ctx.Expect("dead ReLU: only the output bias learns, with gradient σ(−8) − p̄", deadBiasGrad != 0 && Math.Abs(deadBiasGrad - closedForm) < 1e-6,
            $"{deadBiasGrad:F6} vs σ(−8) − {positives:F6} = {closedForm:F6} (the course prints −0.5106 on its data)");
        string[] leakyNames = cfg.LeakySlopes.Select(s => $"LeakyReLU {Slope(s)}, bias -8").ToArray();
        ctx.Expect("LeakyReLU keeps non-zero gradients at every slope", leakyNames.All(l => norms[l].All(v => v > 0)),
            string.Join("; ", leakyNames.Select(l => $"{l.Split(',')[0]}: {string.Join(", ", norms[l].Select(v => v.ToString("G3", CultureInfo.InvariantCulture)))}")));
        var (small, large) = (norms[leakyNames[0]], norms[leakyNames[^1]]);
        ctx.Expect("a larger negative slope passes larger gradients to the first layer", large[0] > small[0],
            $"layer 1: slope {Slope(cfg.LeakySlopes[^1])} {large[0]:G3} vs slope {Slope(cfg.LeakySlopes[0])} {small[0]:G3}, {large[0] / small[0]:G3} times larger");

        ctx.Report.Text($"One forward/backward pass of BCE on the course's {cfg.Train} training moons through a 2-3-3-3-3-1 network with weights drawn " +
                        "from N(0, 0.01²). Bars show the L2 norm of each layer's weight gradient on a log scale whose range comes from the data, down to the " +
                        "smallest norm; a gradient that is exactly 0 cannot be drawn on it and is written as 0 where its bar would stand.")
            .Add(new BarChartBlock("Gradient norms, biases 1: sigmoid vs ReLU", "‖∂L/∂W‖₂", layers,
                [new BarSeries("sigmoid", sig), new BarSeries("ReLU", norms["ReLU, bias 1"])], LogY: true))
            .Heading("Dead ReLUs and the LeakyReLU fix")
            .Text($"With every bias −8 each ReLU unit sees a negative input and outputs 0: all five weight gradients are exactly 0 and the hidden " +
                  $"layers can never recover. Only the output bias still learns: the network outputs σ(−8) = {1 / (1 + Math.Exp(8)):G3} for every sample, " +
                  $"so ∂L/∂b_out = σ(−8) − p̄ = {deadBiasGrad:F4} here (p̄ = {positives:F4}, the share of positive labels; the course prints −0.5106 " +
                  "on its data). A LeakyReLU lets a little gradient through negative inputs; the course's fix for dead units is a larger negative " +
                  "slope: the first layer's gradient passes four LeakyReLUs on negative inputs, so at 0.1 it is about (0.1/0.01)⁴ = " +
                  $"10⁴ times larger than at 0.01 ({large[0] / small[0]:G4} here).")
            .Add(new BarChartBlock("Gradient norms, biases −8: ReLU (dead) vs LeakyReLU 0.01 and 0.1", "‖∂L/∂W‖₂", layers,
                [new BarSeries("ReLU", dead), .. leakyNames.Select(l => new BarSeries(l.Split(',')[0], norms[l]))], LogY: true))
            .Add(new TableBlock("Gradient L2 norms per layer and the output-bias gradient", ["network", .. layers, "∂L/∂b_out"],
                runs.Select(r => new[] { r.Name }.Concat(norms[r.Name].Select(v => v.ToString("G4", CultureInfo.InvariantCulture)))
                    .Append(outputBiasGrads[r.Name].ToString("F4", CultureInfo.InvariantCulture)).ToArray()).ToArray()));
    }
}

/// <summary>Small tensor conveniences for the lab scripts.</summary>
internal static class TensorLabExtensions
{
    /// <summary>Marks a leaf tensor as requiring gradients and returns it.</summary>
    public static Tensor RequiresGradTrue(this Tensor t)
    {
        t.RequiresGrad = true;
        return t;
    }
}

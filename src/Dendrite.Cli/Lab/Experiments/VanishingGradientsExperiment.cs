using System.Globalization;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Reports;
using Dendrite.NN;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>
/// 4. NNDL 4.4.2: gradient norms per layer of a deep narrow net after one step; sigmoid gradients shrink layer by
/// layer, ReLU keeps them; with biases −8 ReLU units are dead (gradients exactly zero) while LeakyReLU still learns.
/// </summary>
public sealed class VanishingGradientsExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "vanishing-gradients";

    /// <inheritdoc />
    public string Title => "Vanishing gradients and dead ReLUs";

    /// <inheritdoc />
    public string Description => "NNDL 4.4.2: per-layer gradient norms of a 2-3-3-3-3-1 net (sigmoid vs ReLU), then dead ReLU vs LeakyReLU.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => false;

    private sealed record Settings(int[] Sizes, double WeightStd, double Bias, double DeadBias, int Samples, double Lr);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings(Sizes: [2, 3, 3, 3, 3, 1], WeightStd: 0.01, Bias: 1, DeadBias: -8, Samples: 1000, Lr: 0.2));
        var data = LabDatasets.Moons(cfg.Samples, 0.1, ctx.Rng(0));
        string[] layers = Enumerable.Range(1, cfg.Sizes.Length - 1).Select(i => $"layer {i}").ToArray();

        var runs = new (string Name, Func<Tensor, Tensor> Act, double Bias)[]
        {
            ("sigmoid, bias 1", x => x.Sigmoid(), cfg.Bias),
            ("ReLU, bias 1", x => x.Relu(), cfg.Bias),
            ("ReLU, bias -8", x => x.Relu(), cfg.DeadBias),
            ("LeakyReLU, bias -8", x => x.LeakyRelu(0.01), cfg.DeadBias),
        };
        var norms = new Dictionary<string, double[]>();
        foreach (var (name, act, bias) in runs)
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
            // One SGD step, as the book does, so the reported norms belong to a real update.
            using (Grad.NoGrad())
                foreach (var p in ws.Concat(bs)) p.SubInPlace(p.Grad!.Mul(cfg.Lr));
            norms[name] = n;
            ctx.Log($"  {name,-20} gradient L2 norms: {string.Join("  ", n.Select(v => v.ToString("0.###e0", CultureInfo.InvariantCulture)))}");
            for (int l = 0; l < n.Length; l++)
                ctx.Metric($"grad_norm_{name.Split(',')[0].ToLowerInvariant()}_b{bias.ToString(CultureInfo.InvariantCulture)}_layer{l + 1}", n[l]);
        }

        var sig = norms["sigmoid, bias 1"];
        ctx.Expect("sigmoid gradients shrink towards the input", sig[0] < sig[^1] * 0.1, $"layer 1 {sig[0]:G3} vs layer {sig.Length} {sig[^1]:G3}");
        var dead = norms["ReLU, bias -8"];
        ctx.Expect("dead ReLU: every hidden layer's gradient is exactly 0", dead.Take(dead.Length - 1).All(v => v == 0),
            string.Join(", ", dead.Select(v => v.ToString("G3", CultureInfo.InvariantCulture))));
        var leaky = norms["LeakyReLU, bias -8"];
        ctx.Expect("LeakyReLU keeps non-zero gradients", leaky.All(v => v > 0), string.Join(", ", leaky.Select(v => v.ToString("G3", CultureInfo.InvariantCulture))));

        ctx.Report.Text("One forward/backward pass of BCE on 1000 moons through a 2-3-3-3-3-1 network with weights drawn from N(0, 0.01²). " +
                        "Bars show the L2 norm of each layer's weight gradient on a log scale whose range comes from the data, down to the smallest norm; " +
                        "a gradient that is exactly 0 cannot be drawn on it and is written as 0 where its bar would stand.")
            .Add(new BarChartBlock("Gradient norms, biases 1: sigmoid vs ReLU", "‖∂L/∂W‖₂", layers,
                [new BarSeries("sigmoid", sig), new BarSeries("ReLU", norms["ReLU, bias 1"])], LogY: true))
            .Add(new BarChartBlock("Gradient norms, biases −8: ReLU (dead) vs LeakyReLU", "‖∂L/∂W‖₂", layers,
                [new BarSeries("ReLU", dead), new BarSeries("LeakyReLU", leaky)], LogY: true))
            .Add(new TableBlock("Gradient L2 norms per layer", ["network", .. layers],
                runs.Select(r => new[] { r.Name }.Concat(norms[r.Name].Select(v => v.ToString("G4", CultureInfo.InvariantCulture))).ToArray()).ToArray()));
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

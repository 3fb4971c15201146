using System.Globalization;
using Dendrite.Cli.Reports;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>
/// 5. Deep Learning from Scratch 6.2: how the weight scale decides whether activations saturate, collapse or stay
/// spread out through five layers, for sigmoid, tanh and ReLU.
/// </summary>
public sealed class ActivationsExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "activations";

    /// <inheritdoc />
    public string Title => "Activation distributions vs weight initialisation";

    /// <inheritdoc />
    public string Description => "DLFS 6.2: 1000×100 N(0,1) inputs through 5 layers of 100 units; std 1, 0.01, Xavier, He × sigmoid, tanh, ReLU.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => false;

    private sealed record Settings(int Samples, int Units, int Layers, int Bins);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings(Samples: 1000, Units: 100, Layers: 5, Bins: 30));
        var input = Tensor.RandN([cfg.Samples, cfg.Units], ctx.Rng(0));
        var inits = new (string Name, double Std)[]
        {
            ("std 1", 1), ("std 0.01", 0.01), ("Xavier 1/√n", 1 / Math.Sqrt(cfg.Units)), ("He √(2/n)", Math.Sqrt(2.0 / cfg.Units)),
        };
        var acts = new (string Name, Func<Tensor, Tensor> F, double Lo, double Hi)[]
        {
            ("sigmoid", x => x.Sigmoid(), 0, 1), ("tanh", x => x.Tanh(), -1, 1), ("ReLU", x => x.Relu(), 0, 1),
        };
        var summary = new List<string[]>();
        ctx.Report.Text("Each row shows the histograms of the five layers' activations (layer 1 left). With std 1 sigmoid and tanh " +
                        "saturate at their ends (vanishing gradients); with std 0.01 everything collapses to one value (no expressiveness); " +
                        "Xavier keeps sigmoid/tanh spread out and He does the same for ReLU. ReLU histograms leave out the exact zeros.");
        foreach (var (actName, act, lo, hi) in acts)
        {
            foreach (var (initName, std) in inits)
            {
                var rng = ctx.Rng(1);
                var h = input;
                var items = new List<ReportBlock>();
                double lastStd = 0, saturated = 0;
                for (int l = 0; l < cfg.Layers; l++)
                {
                    var w = Tensor.RandN([cfg.Units, cfg.Units], rng).Mul(std);
                    h = act(h.MatMul(w));
                    double[] a = h.To(DType.Float64).ToArray<double>();
                    var values = actName == "ReLU" ? a.Where(v => v > 0) : a;
                    double top = actName == "ReLU" ? Math.Max(Percentile(a, 0.99), 1e-6) : hi;
                    items.Add(new HistogramBlock($"{actName}, {initName}: layer {l + 1}", "", lo, top,
                        [new BarSeries("", BarCharts.Bin(values, lo, top, cfg.Bins))]));
                    if (l == cfg.Layers - 1)
                    {
                        lastStd = ChartMath.Std(a);
                        saturated = actName switch
                        {
                            "sigmoid" => a.Count(v => v < 0.02 || v > 0.98) / (double)a.Length,
                            "tanh" => a.Count(v => Math.Abs(v) > 0.98) / (double)a.Length,
                            _ => a.Count(v => v == 0) / (double)a.Length,
                        };
                    }
                }
                ctx.Report.Add(new GridBlock($"{actName}, weights {initName}", cfg.Layers, [.. items]));
                string key = $"{actName.ToLowerInvariant()}_{initName.Split(' ')[0].ToLowerInvariant()}{(initName.StartsWith("std", StringComparison.Ordinal) ? initName.Split(' ')[1] : "")}";
                ctx.Metric($"layer5_std_{key}", lastStd);
                summary.Add([actName, initName, lastStd.ToString("G3", CultureInfo.InvariantCulture),
                    saturated.ToString("P1", CultureInfo.InvariantCulture)]);
            }
        }
        ctx.Report.Blocks.Insert(1, new TableBlock("Layer 5 activations", ["activation", "weights", "std", "saturated (sigmoid/tanh) or zero (ReLU)"], [.. summary]));
        ctx.Ui.Table(new Ui.TableData("layer 5 activations", "activation", "weights", "std", "saturated/zero").AddRange(summary));
    }

    private static double Percentile(double[] values, double q)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[(int)Math.Min(sorted.Length - 1, q * sorted.Length)];
    }
}

using System.Globalization;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Reports;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Training;
using Dendrite.Training.Metrics;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>
/// 6. DLFS 6.1: nine optimizers (the book's six, then Adadelta, Adamax and NAdam, which the course lists) on f(x, y) = x²/20 + y² from (−7, 2), drawn over the contour lines; then the same
/// optimizers training an MLP on Fashion-MNIST, loss curves overlaid.
/// </summary>
public sealed class OptimizersExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "optimizers";

    /// <inheritdoc />
    public string Title => "SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam, Adadelta, Adamax and NAdam";

    /// <inheritdoc />
    public string Description => "DLFS 6.1: trajectories on x²/20 + y² over its contours; then the nine optimizers on a Fashion-MNIST MLP.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => true;

    private sealed record OptimizerSetting(string Name, double SurfaceLr, double MlpLr);

    private sealed record Settings(OptimizerSetting[] Optimizers, double[] Start, int SurfaceSteps, string Model, int? TrainLimit, int? TestLimit, int BatchSize, int Epochs);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings(
            [new("SGD", 0.95, 0.1), new("Momentum", 0.1, 0.05), new("Nesterov", 0.1, 0.05), new("AdaGrad", 1.5, 0.01), new("RMSprop", 0.15, 0.001), new("Adam", 0.3, 0.001),
             new("Adadelta", 30, 1.0), new("Adamax", 0.3, 0.002), new("NAdam", 0.3, 0.002)],
            Start: [-7, 2], SurfaceSteps: 30, Model: "mlp:784-256-10", ctx.Quick ? 6000 : null, ctx.Quick ? 1000 : null, BatchSize: 128, Epochs: ctx.Quick ? 1 : 5));

        // Part 1: the optimizers on f(x, y) = x²/20 + y², whose valley is 20× flatter along x than along y.
        const int nx = 161, ny = 81;
        double x0 = -10, x1 = 10, y0 = -5, y1 = 5;
        var z = new double[nx * ny];
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++)
            {
                double x = x0 + i * (x1 - x0) / (nx - 1), y = y0 + j * (y1 - y0) / (ny - 1);
                z[j * nx + i] = x * x / 20 + y * y;
            }
        double[] levels = [0.1, 0.3, 0.7, 1.5, 3, 5, 8, 12, 17, 23];
        var panels = new List<ReportBlock>();
        var rows = new List<string[]>();
        foreach (var o in cfg.Optimizers)
        {
            var p = Tensor.FromArray(new double[] { cfg.Start[0], cfg.Start[1] }, 2);
            p.RequiresGrad = true;
            var opt = Make(o.Name, [p], o.SurfaceLr);
            var xs = new List<double> { cfg.Start[0] };
            var ys = new List<double> { cfg.Start[1] };
            for (int step = 0; step < cfg.SurfaceSteps; step++)
            {
                var f = p[0].Square().Div(20).Add(p[1].Square());
                opt.ZeroGrad();
                f.Backward();
                opt.Step();
                var v = p.ToArray<double>();
                xs.Add(v[0]);
                ys.Add(v[1]);
            }
            double final = xs[^1] * xs[^1] / 20 + ys[^1] * ys[^1];
            ctx.Metric($"surface_final_f_{o.Name.ToLowerInvariant()}", final);
            rows.Add([o.Name, o.SurfaceLr.ToString(CultureInfo.InvariantCulture), $"({xs[^1]:F3}, {ys[^1]:F3})", final.ToString("G3", CultureInfo.InvariantCulture)]);
            panels.Add(new ContourBlock($"{o.Name} (lr {o.SurfaceLr.ToString(CultureInfo.InvariantCulture)})", x0, x1, y0, y1, nx, ny, z, levels,
                [new Series(o.Name, [.. xs], [.. ys], Markers: true)]));
        }
        ctx.Report.Heading("Trajectories on f(x, y) = x²/20 + y²")
            .Text($"{cfg.SurfaceSteps} steps from ({cfg.Start[0]}, {cfg.Start[1]}); the minimum is the circle at (0, 0). SGD zig-zags across the steep y " +
                  "direction while crawling along x; momentum methods overshoot and swing; AdaGrad, RMSprop, Adam and Adamax rescale each coordinate; " +
                  "Adadelta sizes its steps from its own past updates (so its lr is a scale, here 30), and NAdam adds Nesterov's look-ahead to Adam.")
            .Add(new GridBlock("", 3, [.. panels]))
            .Add(new TableBlock("Where each optimizer ends", ["optimizer", "lr", "final (x, y)", "f"], [.. rows]));

        // Part 2: the same optimizers training an MLP on Fashion-MNIST.
        var (train, test) = FashionData.Load(ctx, cfg.TrainLimit, cfg.TestLimit, flatten: true);
        var curves = new List<Series>();
        var results = new List<string[]>();
        ctx.Progress(pr =>
        {
            foreach (var o in cfg.Optimizers)
            {
                var model = ModelFactory.Build(cfg.Model, new ModelFactory.Options(), ctx.Rng(1));
                // RecordSteps keeps every step's loss in the history, for the per-step curves.
                var trainer = new Trainer(model, Make(o.Name, model.Parameters(), o.MlpLr), new CrossEntropyLoss(), [new Accuracy()]) { RecordSteps = true };
                trainer.EvaluationLoaders["test"] = LabTrainer.EvalLoader(test);
                var h = LabTrainer.Fit(ctx, pr, o.Name, trainer, LabTrainer.Loader(train, cfg.BatchSize, ctx.Rng(2)), null, cfg.Epochs).History;
                var losses = h.Steps.Select(st => st.Loss).ToArray();
                curves.Add(new Series(o.Name, h.Steps.Select(st => (double)st.GlobalStep).ToArray(), Smooth(losses, 10)));
                double testAcc = h.Last("test_accuracy") ?? double.NaN, trainLoss = h.Last("train_loss") ?? double.NaN;
                ctx.Metric($"test_acc_{o.Name.ToLowerInvariant()}", testAcc);
                results.Add([o.Name, o.MlpLr.ToString(CultureInfo.InvariantCulture), trainLoss.ToString("F4", CultureInfo.InvariantCulture),
                    testAcc.ToString("F4", CultureInfo.InvariantCulture)]);
            }
        });
        ctx.Report.Heading($"The optimizers training a {cfg.Model} MLP on Fashion-MNIST")
            .Add(new LineChartBlock("Training loss per step (moving average of 10)", "step", "loss", [.. curves], LogY: true))
            .Add(new TableBlock("Results", ["optimizer", "lr", "final train loss", "test accuracy"], [.. results]));
    }

    private static Optimizer Make(string name, IEnumerable<Tensor> parameters, double lr) => name switch
    {
        "SGD" => new SGD(parameters, lr: lr),
        "Momentum" => new SGD(parameters, lr: lr, momentum: 0.9),
        "Nesterov" => new SGD(parameters, lr: lr, momentum: 0.9, nesterov: true),
        "AdaGrad" => new Adagrad(parameters, lr: lr),
        "RMSprop" => new RMSprop(parameters, lr: lr, alpha: 0.9),
        "Adam" => new Adam(parameters, lr: lr),
        "Adadelta" => new Adadelta(parameters, lr: lr),
        "Adamax" => new Adamax(parameters, lr: lr),
        "NAdam" => new NAdam(parameters, lr: lr),
        _ => throw new ArgumentException($"optimizer '{name}' is unknown"),
    };

    private static double[] Smooth(IReadOnlyList<double> v, int window)
    {
        var result = new double[v.Count];
        double sum = 0;
        for (int i = 0; i < v.Count; i++)
        {
            sum += v[i];
            if (i >= window) sum -= v[i - window];
            result[i] = sum / Math.Min(i + 1, window);
        }
        return result;
    }
}

using System.Globalization;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Reports;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Training;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>
/// 1. Fit y = x² on [−2, 2] with one hidden layer: without an activation the network is linear and fits a straight
/// line; with ReLU it bends. Constant vs halving learning rate; outside the training range the fit fails; and the
/// fitted curve drawn at random test points is a zigzag until x is sorted.
/// </summary>
public sealed class FitFunctionExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "fit-function";

    /// <inheritdoc />
    public string Title => "Fitting y = x² with a one-hidden-layer MLP";

    /// <inheritdoc />
    public string Description => "No activation gives a straight line, ReLU bends; constant vs halved LR (0.1 → 0.001); extrapolation fails; sort x before plotting.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => false;

    private sealed record Settings(string Optimizer, int TrainSamples, int TestSamples, int Hidden, double Lr, double MinLr, int HalveEvery, int Epochs, int BatchSize,
        double PlotMin, double PlotMax);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings(Optimizer: "Adam", TrainSamples: 1000, TestSamples: 200, Hidden: 64, Lr: 0.1, MinLr: 0.001, HalveEvery: ctx.Quick ? 4 : 10,
            Epochs: ctx.Quick ? 30 : 100, BatchSize: 32, PlotMin: -4, PlotMax: 4));
        LabeledData Sample(int n, double lo, double hi, Generator g)
        {
            var x = Tensor.Rand([n, 1], g).Mul(hi - lo).Add(lo);
            return new LabeledData(x, x.Square());
        }
        var train = Sample(cfg.TrainSamples, -2, 2, ctx.Rng(0));
        var test = Sample(cfg.TestSamples, -2, 2, ctx.Rng(1));
        var outside = new LabeledData(
            Tensor.Cat([Tensor.Linspace(-4, -2.05, 100).Reshape(-1, 1), Tensor.Linspace(2.05, 4, 100).Reshape(-1, 1)], 0), Tensor.Zeros(1));
        outside = outside with { Y = outside.X.Square() };

        // LR halved every few epochs, from 0.1 down to the 0.001 floor: the factor after k epochs is max(0.5^⌊k/H⌋, min/lr).
        Func<int, double> halving = k => Math.Max(cfg.MinLr / cfg.Lr, Math.Pow(0.5, k / cfg.HalveEvery));
        var runs = new (string Name, bool Relu, Func<int, double>? Schedule)[]
        {
            ("no activation", false, null),
            ("ReLU, constant lr", true, null),
            ("ReLU, halving lr", true, halving),
        };
        var grid = Tensor.Linspace(cfg.PlotMin, cfg.PlotMax, 161).Reshape(-1, 1);
        double[] gx = grid.Reshape(-1).To(DType.Float64).ToArray<double>();
        var fits = new List<Series> { new("truth x²", gx, gx.Select(v => v * v).ToArray(), Dashed: true) };
        var rows = new List<string[]>();
        Module? best = null;
        ctx.Progress(p =>
        {
            foreach (var (name, relu, schedule) in runs)
            {
                var rng = ctx.Rng(2);
                var model = relu
                    ? new Sequential(new Linear(1, cfg.Hidden, generator: rng), new ReLU(), new Linear(cfg.Hidden, 1, generator: rng))
                    : new Sequential(new Linear(1, cfg.Hidden, generator: rng), new Linear(cfg.Hidden, 1, generator: rng));
                var opt = new Adam(model.Parameters(), lr: cfg.Lr);
                var trainer = new Trainer(model, opt, (yHat, y) => F.MseLoss(yHat, y), scheduler: schedule is null ? null : new LambdaLR(opt, schedule));
                trainer.EvaluationLoaders["test"] = LabTrainer.EvalLoader(test);
                var h = LabTrainer.Fit(ctx, p, name.Replace(",", ""), trainer, LabTrainer.Loader(train, cfg.BatchSize, ctx.Rng(3)), null, cfg.Epochs).History;
                // Train MSE of the final weights over the whole set (the history's train_loss averages the steps of the last epoch).
                double trainMse = trainer.Evaluate(LabTrainer.EvalLoader(train)).Loss, testMse = h.Last("test_loss") ?? double.NaN;
                double outsideMse = trainer.Evaluate(LabTrainer.EvalLoader(outside)).Loss;
                string key = name.Replace(", ", "_").Replace(" ", "_");
                ctx.Metric($"train_mse_{key}", trainMse);
                ctx.Metric($"test_mse_{key}", testMse);
                ctx.Metric($"outside_mse_{key}", outsideMse);
                rows.Add([name, F4(trainMse), F4(testMse), F4(outsideMse), F4(opt.Lr)]);
                fits.Add(new Series(name, gx, LabTrainer.Predict(model, grid).Reshape(-1).To(DType.Float64).ToArray<double>()));
                best = model;
            }
        });
        var lin = fits[1].Y;
        // A network without activation is an affine map: its second differences vanish.
        double curvature = Enumerable.Range(1, lin.Length - 2).Max(i => Math.Abs(lin[i - 1] - 2 * lin[i] + lin[i + 1]));
        ctx.Metric("linear_fit_max_second_difference", curvature);
        ctx.Expect("without activation the fit is a straight line", curvature < 1e-3, $"max |second difference| {curvature:G3}");
        double reluTest = ctx.Metrics["test_mse_ReLU_halving_lr"]!.GetValue<double>(), linTest = ctx.Metrics["test_mse_no_activation"]!.GetValue<double>();
        ctx.Target("ReLU fits x² much better than the linear network", reluTest < linTest / 5, $"test MSE {reluTest:G3} vs {linTest:G3}");

        ShowDevices(ctx, train);

        ctx.Report.Text($"{cfg.TrainSamples} training points uniform on [−2, 2], 1-{cfg.Hidden}-1 network, Adam with batch {cfg.BatchSize}, {cfg.Epochs} epochs. " +
                        $"The halving schedule multiplies the lr by 0.5 every {cfg.HalveEvery} epochs, from {cfg.Lr} down to {cfg.MinLr}. " +
                        "Outside [−2, 2] the ReLU network continues linearly: it has never seen that region, so it cannot know the curve goes on bending.")
            .Add(new LineChartBlock("Fit vs truth on [−4, 4] (trained on [−2, 2])", "x", "y", [.. fits]))
            .Add(new TableBlock("Mean squared errors", ["model", "train MSE", "test MSE [−2, 2]", "MSE outside [−2, 2]", "final lr"], [.. rows]));
        SortBeforePlotting(ctx, best!, test, runs[^1].Name);
    }

    // The course plots the fit at the test points, which are drawn at random: joined in that order the line zigzags
    // across the plot. Sorting x first (and taking ŷ in the same order) gives the curve.
    private static void SortBeforePlotting(ExperimentContext ctx, Module model, LabeledData test, string name)
    {
        var yHat = LabTrainer.Predict(model, test.X).Reshape(-1);  // on the model's device
        var x = test.X.Reshape(-1).To(yHat.Device);
        var (sortedX, order) = x.Sort();        // torch.sort: the values and the positions they came from
        var sortedY = yHat[order];              // ŷ in the same order (integer-array indexing)
        double[] ux = x.To(DType.Float64).ToArray<double>(), uy = yHat.To(DType.Float64).ToArray<double>();
        double[] sx = sortedX.To(DType.Float64).ToArray<double>(), sy = sortedY.To(DType.Float64).ToArray<double>();
        long[] idx = order.ToArray<long>();
        // Path length along x: the unsorted line goes back and forth, the sorted one crosses [−2, 2] once.
        static double Travel(double[] v) => Enumerable.Range(1, v.Length - 1).Sum(i => Math.Abs(v[i] - v[i - 1]));
        double unsortedTravel = Travel(ux), sortedTravel = Travel(sx), span = sx[^1] - sx[0];
        bool ascending = Enumerable.Range(1, sx.Length - 1).All(i => sx[i - 1] <= sx[i]);
        bool samePairs = Enumerable.Range(0, idx.Length).All(i => sx[i] == ux[idx[i]] && sy[i] == uy[idx[i]]);
        bool permutation = idx.Distinct().Count() == idx.Length && idx.All(i => i >= 0 && i < idx.Length);
        ctx.Metric("plot_travel_unsorted", unsortedTravel);
        ctx.Metric("plot_travel_sorted", sortedTravel);
        ctx.Metric("plot_x_span", span);
        ctx.Expect("Sort gives ascending x and a permutation that keeps each (x, ŷ) pair", ascending && samePairs && permutation,
            $"{idx.Length} points, ascending: {ascending}, pairs kept: {samePairs}, permutation: {permutation}");
        ctx.Expect("sorted, the line crosses the x range once; unsorted it zigzags", Math.Abs(sortedTravel - span) < 1e-9 && unsortedTravel > 20 * span,
            $"the line travels {sortedTravel:F2} along x sorted (the span is {span:F2}) and {unsortedTravel:F1} unsorted");
        ctx.Report.Heading("Sort before plotting")
            .Text($"The course draws the fit of the {test.Count} test points with plot(x, ŷ). The points were drawn at random, so the line joins " +
                  $"them in that order and zigzags back and forth across [−2, 2] ({unsortedTravel:F0} units along x for a span of {span:F2}). " +
                  "Sorting x first — var (xs, order) = x.Sort(); var ys = yHat[order]; as torch.sort and y_hat[idx] — joins them from left " +
                  $"to right and the curve appears. The model is the one trained with ReLU and the halving lr ({name}).")
            .Add(new GridBlock("", 2,
            [
                new LineChartBlock("Unsorted: plot(x, ŷ)", "x", "ŷ", [new Series("ŷ in sampling order", ux, uy)]),
                new LineChartBlock("Sorted: plot(x.Sort(), ŷ[order])", "x", "ŷ", [new Series("ŷ sorted by x", sx, sy)]),
            ]));
    }

    // The course's first step on devices: pick CUDA when there is one, move the model and every tensor there, and a
    // tensor left behind on the CPU is an error naming the op and both devices (shown, not thrown).
    private static void ShowDevices(ExperimentContext ctx, LabeledData train)
    {
        var auto = Device.CudaIsAvailable ? Device.Cuda() : Device.Cpu;
        // Somewhere other than the CPU to leave a tensor behind from: the run's device, else a GPU, else ilgpu-cpu.
        var other = !ctx.Device.IsCpu ? ctx.Device : Device.CudaIsAvailable ? Device.Cuda() : Device.IlgpuCpu;
        var model = new Sequential(new Linear(1, 4, generator: ctx.Rng(4)), new ReLU(), new Linear(4, 1, generator: ctx.Rng(4))).To(other);
        string error;
        try
        {
            model.Call(train.X);   // x is still on the CPU
            error = "(no error)";
        }
        catch (ArgumentException e)
        {
            error = e.Message;
        }
        ctx.Metric("device", ctx.Device.ToString());
        ctx.Expect("a tensor left on the CPU is refused by name", error.Contains($"found {other} and cpu", StringComparison.Ordinal) ||
            error.Contains($"found cpu and {other}", StringComparison.Ordinal), error);
        string cuda = Device.CudaIsAvailable ? $"{Device.CudaCount} CUDA device(s)" : $"no CUDA ({Device.CudaUnavailableReason})";
        ctx.Report.Text($"Devices. This run trained on {ctx.Device} (--device; auto would pick {auto} here: {cuda}). The course's recipe is " +
                        "`var device = Device.CudaIsAvailable ? Device.Cuda() : Device.Cpu; model.To(device); x = x.To(device);` — the model's " +
                        $"parameters move in place, and every input must follow. Forgetting the input: a model moved to {other} called on a CPU " +
                        $"tensor stops before any kernel runs with: {error}");
    }

    private static string F4(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}

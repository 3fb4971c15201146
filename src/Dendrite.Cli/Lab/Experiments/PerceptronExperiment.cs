using System.Globalization;
using Dendrite.Cli.Reports;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>
/// 15. The sign perceptron: the textbook's six samples in one pass (exact weights), then a perceptron on a
/// separable 2-D set with its decision boundary.
/// </summary>
public sealed class PerceptronExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "perceptron";

    /// <inheritdoc />
    public string Title => "The sign perceptron";

    /// <inheritdoc />
    public string Description => "Rosenblatt's rule w += lr·(y − sign(w·x))·x by hand on six samples, then on a separable 2-D set.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => false;

    private sealed record Settings(double[][] Samples, int[] Labels, double[] W0, double Lr, int Points2D, int MaxEpochs2D);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings(
            Samples: [[1, 1, 3], [1, 2, 5], [1, 1, 8], [1, 2, 15], [1, 3, 7], [1, 4, 29]],
            Labels: [1, 1, -1, -1, 1, -1],
            W0: [1, 0, 0], Lr: 0.3, Points2D: ctx.Quick ? 100 : 200, MaxEpochs2D: 100));

        // Part 1: one pass over the six samples, bias feature first.
        var w = Tensor.FromArray(cfg.W0, 3);
        var steps = new List<string[]>();
        for (int i = 0; i < cfg.Samples.Length; i++)
        {
            var x = Tensor.FromArray(cfg.Samples[i], 3);
            int predicted = Sign(x.Mul(w).Sum().Item());
            // The error (y − ŷ) is 0 when right and ±2 when wrong, so a mistake moves w by ±2·lr·x.
            int error = cfg.Labels[i] - predicted;
            w = w.Add(x.Mul(cfg.Lr * error));
            steps.Add([(i + 1).ToString(CultureInfo.InvariantCulture), Vec(cfg.Samples[i]), cfg.Labels[i].ToString(CultureInfo.InvariantCulture),
                predicted.ToString(CultureInfo.InvariantCulture), Vec(w.ToArray<double>())]);
            ctx.Log($"  sample {i + 1} x={Vec(cfg.Samples[i])} y={cfg.Labels[i],2} ŷ={predicted,2} -> w={Vec(w.ToArray<double>())}");
        }
        double[] final = w.ToArray<double>();
        ctx.Report.Heading("One pass over the six samples (lr 0.3, w₀ = [1, 0, 0])")
            .Add(new TableBlock("Weights after each sample", ["step", "x", "y", "ŷ", "w after"], [.. steps]));
        ctx.Metric("w0", final[0]);
        ctx.Metric("w1", final[1]);
        ctx.Metric("w2", final[2]);
        double[] expected = [1.0, 1.2, -0.6];
        ctx.Expect("final w = [1.0, 1.2, -0.6]", final.Zip(expected).All(p => Math.Abs(p.First - p.Second) < 1e-9), $"w = {Vec(final)}");

        double[][] queries = [[1, 9, 19], [1, 9, 64], [1, 5, 11]];
        int[] expectedPredictions = [1, -1, 1];
        var predictions = queries.Select(q => Sign(Tensor.FromArray(q, 3).Mul(w).Sum().Item())).ToArray();
        ctx.Report.Add(new TableBlock("Predictions of the final weights", ["x", "w·x", "prediction"],
            queries.Select((q, i) => new[] { Vec(q), Tensor.FromArray(q, 3).Mul(w).Sum().Item().ToString("0.###", CultureInfo.InvariantCulture),
                predictions[i].ToString(CultureInfo.InvariantCulture) }).ToArray()));
        ctx.Metric("predictions", string.Join(" ", predictions));
        ctx.Expect("predictions for [1,9,19], [1,9,64], [1,5,11] are 1, -1, 1", predictions.SequenceEqual(expectedPredictions),
            string.Join(", ", predictions));

        // Part 2: a linearly separable 2-D set (two Gaussian blobs), epochs until a pass makes no mistake.
        var rng = ctx.Rng(1);
        int n = cfg.Points2D;
        var px = new double[n];
        var py = new double[n];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 2 == 0 ? 1 : -1;
            double cx = labels[i] == 1 ? 1.5 : -1.5, cy = labels[i] == 1 ? 1.0 : -1.0;
            // Rejection keeps a margin so the set is separable by construction.
            do { px[i] = cx + 0.8 * rng.Normal(); py[i] = cy + 0.8 * rng.Normal(); }
            while (labels[i] * (px[i] + 0.7 * py[i]) < 0.3);
        }
        var w2 = Tensor.Zeros([3], DType.Float64);
        int epochs = 0, mistakes = -1;
        var mistakeCurve = new List<double>();
        while (mistakes != 0 && epochs < cfg.MaxEpochs2D)
        {
            mistakes = 0;
            for (int i = 0; i < n; i++)
            {
                var x = Tensor.FromArray(new[] { 1.0, px[i], py[i] }, 3);
                int predicted = Sign(x.Mul(w2).Sum().Item());
                if (predicted == labels[i]) continue;
                mistakes++;
                w2 = w2.Add(x.Mul(cfg.Lr * (labels[i] - predicted)));
            }
            epochs++;
            mistakeCurve.Add(mistakes);
            ctx.History.Log("2d", epochs, ("train_mistakes", mistakes));
        }
        double[] wb = w2.ToArray<double>();
        ctx.Metric("epochs_2d", epochs);
        ctx.Metric("mistakes_last_epoch_2d", mistakes);
        ctx.Expect("the perceptron separates the 2-D set", mistakes == 0, $"{mistakes} mistakes after {epochs} epochs");

        const int grid = 80;
        double lo = -5, hi = 5;
        var prob = new double[grid * grid];
        for (int j = 0; j < grid; j++)
            for (int i = 0; i < grid; i++)
            {
                double gx = lo + i * (hi - lo) / (grid - 1), gy = lo + j * (hi - lo) / (grid - 1);
                prob[j * grid + i] = wb[0] + wb[1] * gx + wb[2] * gy >= 0 ? 0.85 : 0.15;
            }
        ctx.Report.Heading("A perceptron on a separable 2-D set")
            .Text($"Converged after {epochs} epochs: w = {Vec(wb)} (bias first). The line is w₀ + w₁x₁ + w₂x₂ = 0.")
            .Add(new DecisionBoundaryBlock("Perceptron decision boundary", lo, hi, lo, hi, grid, grid, prob, px, py,
                labels.Select(l => l == 1 ? 1 : 0).ToArray()));
    }

    private static int Sign(double v) => v >= 0 ? 1 : -1;

    private static string Vec(double[] v) => "[" + string.Join(", ", v.Select(x => Math.Round(x, 4).ToString(CultureInfo.InvariantCulture))) + "]";
}

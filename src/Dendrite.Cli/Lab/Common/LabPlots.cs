using Dendrite.Cli.Reports;
using Dendrite.NN;

namespace Dendrite.Cli.Lab.Common;

/// <summary>Report blocks built from models and data.</summary>
public static class LabPlots
{
    /// <summary>
    /// The class-1 probability of a 2-D binary classifier over a grid covering the points, with the points on top;
    /// <paramref name="toProbability"/> maps model outputs [M, 1] to probabilities (identity after a sigmoid).
    /// </summary>
    public static DecisionBoundaryBlock DecisionBoundary(string title, Module model, LabeledData points, Func<Tensor, Tensor>? toProbability = null, int grid = 90)
    {
        float[] xy = points.X.Contiguous().ToArray<float>();
        float[] labels = points.Y.To(DType.Float32).ToArray<float>();
        double xMin = double.MaxValue, xMax = double.MinValue, yMin = double.MaxValue, yMax = double.MinValue;
        for (int i = 0; i < labels.Length; i++)
        {
            xMin = Math.Min(xMin, xy[2 * i]); xMax = Math.Max(xMax, xy[2 * i]);
            yMin = Math.Min(yMin, xy[2 * i + 1]); yMax = Math.Max(yMax, xy[2 * i + 1]);
        }
        double padX = 0.15 * (xMax - xMin), padY = 0.15 * (yMax - yMin);
        (xMin, xMax, yMin, yMax) = (xMin - padX, xMax + padX, yMin - padY, yMax + padY);
        // The course's grid: meshgrid of the two axes ("ij": row j holds y_j, column i holds x_i), one point per cell, y major.
        var axes = Tensor.Meshgrid([Tensor.Linspace(yMin, yMax, grid), Tensor.Linspace(xMin, xMax, grid)], indexing: "ij");
        var cells = Tensor.Stack([axes[1].Reshape(-1), axes[0].Reshape(-1)], 1); // [grid², 2] of (x, y)
        var output = LabTrainer.Predict(model, cells);
        var prob = (toProbability ?? (t => t))(output).Reshape(-1).To(DType.Float64).ToArray<double>();
        return new DecisionBoundaryBlock(title, xMin, xMax, yMin, yMax, grid, grid, prob,
            Enumerable.Range(0, labels.Length).Select(i => (double)xy[2 * i]).ToArray(),
            Enumerable.Range(0, labels.Length).Select(i => (double)xy[2 * i + 1]).ToArray(),
            labels.Select(l => (int)l).ToArray());
    }

    /// <summary>
    /// The share of a boundary block's points whose nearest grid cell is on the same side of ½ as
    /// <paramref name="pointProbability"/> (the model's own output at the point): near 1 when the grid is laid out as the
    /// block says; reading it with x and y swapped (<paramref name="swapAxes"/>, the classic meshgrid mix-up) breaks that.
    /// </summary>
    public static double GridAgreement(DecisionBoundaryBlock b, IReadOnlyList<double> pointProbability, bool swapAxes = false)
    {
        int agree = 0;
        for (int k = 0; k < b.PointX.Length; k++)
        {
            int i = (int)Math.Round((b.PointX[k] - b.XMin) / (b.XMax - b.XMin) * (b.Nx - 1));
            int j = (int)Math.Round((b.PointY[k] - b.YMin) / (b.YMax - b.YMin) * (b.Ny - 1));
            double cell = swapAxes ? b.Probability[Math.Min(i, b.Ny - 1) * b.Nx + Math.Min(j, b.Nx - 1)] : b.Probability[j * b.Nx + i];
            if (cell > 0.5 == pointProbability[k] > 0.5) agree++;
        }
        return (double)agree / b.PointX.Length;
    }

    /// <summary>A confusion matrix (rows: true class, columns: predicted) of predicted against true labels.</summary>
    public static HeatmapBlock Confusion(string title, long[] predicted, long[] truth, IReadOnlyList<string> classes)
    {
        int k = classes.Count;
        var counts = new double[k * k];
        for (int i = 0; i < truth.Length; i++) counts[truth[i] * k + predicted[i]]++;
        return new HeatmapBlock(title, k, k, counts, [.. classes], [.. classes], "true class", "predicted class");
    }

    /// <summary>A grid of Fashion-MNIST test images captioned with predicted and true labels (wrong ones flagged).</summary>
    public static ImageGridBlock PredictionGrid(string title, LabeledData images, long[] predicted, int count = 24)
    {
        count = Math.Min(count, images.Count);
        var tiles = new List<ImageTile>();
        long[] truth = images.Y.ToArray<long>();
        for (int i = 0; i < count; i++)
        {
            float[] px = images.X.Select(0, i).Contiguous().ToArray<float>();
            bool right = predicted[i] == truth[i];
            string caption = right ? LabDatasets.FashionClasses[(int)predicted[i]]
                : $"{LabDatasets.FashionClasses[(int)predicted[i]]} (true: {LabDatasets.FashionClasses[(int)truth[i]]})";
            tiles.Add(new ImageTile(px, caption, Flag: !right));
        }
        return new ImageGridBlock(title, images.X.Size(-1), images.X.Size(-2), 8, [.. tiles]);
    }

    /// <summary>Mean and (population) standard deviation.</summary>
    public static (double Mean, double Std) MeanStd(IReadOnlyCollection<double> values)
    {
        double mean = values.Average();
        return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count));
    }
}

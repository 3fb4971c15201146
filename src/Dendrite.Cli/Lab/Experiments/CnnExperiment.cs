using System.Globalization;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Reports;
using Dendrite.NN;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>13. d2l 7.6 (modernised): a LeNet-style CNN with ReLU and max-pooling trained with Adam; its first-layer filters.</summary>
public sealed class CnnExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "cnn";

    /// <inheritdoc />
    public string Title => "A LeNet-style CNN on Fashion-MNIST";

    /// <inheritdoc />
    public string Description => "conv5-pool-conv5-pool-120-84-10 with ReLU, max-pooling and Adam (target ≥ 0.89); first-layer filters.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => true;

    private sealed record Settings(string Model, int? TrainLimit, int? TestLimit, int BatchSize, double Lr, int Epochs);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings("lenet", ctx.Quick ? 8000 : null, ctx.Quick ? 2000 : null, BatchSize: 128, Lr: 1e-3, Epochs: ctx.Quick ? 2 : 10));
        var (train, test) = FashionData.Load(ctx, cfg.TrainLimit, cfg.TestLimit, flatten: false);
        var recipe = new ModelRecipe(cfg.Model, new ModelFactory.Options("relu"));
        var model = (Sequential)recipe.Build(ctx.Rng(1));
        var (fit, acc) = LabTrainer.FitFashionClassifier(ctx, "lenet", model, train, test, cfg.BatchSize, cfg.Lr, cfg.Epochs, recipe);
        ctx.Metric("parameters", model.ParameterCount);
        ctx.FullTarget("test accuracy ≥ 0.89 (full mode)", acc >= 0.89, acc.ToString("F4", CultureInfo.InvariantCulture));

        // First-layer filters [6, 1, 5, 5], each scaled to its own [min, max] for display.
        var conv1 = (Conv2d)model[0];
        var filters = conv1.Weight.Detach();
        var tiles = new List<ImageTile>();
        for (int f = 0; f < filters.Size(0); f++)
        {
            var k = filters.Select(0, f).Contiguous().ToArray<float>();
            float lo = k.Min(), hi = k.Max();
            tiles.Add(new ImageTile(k.Select(v => hi > lo ? (v - lo) / (hi - lo) : 0.5f).ToArray(), $"filter {f + 1}"));
        }
        var predicted = LabTrainer.Predict(model, test.X).ArgMax(1).ToArray<long>();
        ctx.Report.Text($"{model.ParameterCount:N0} parameters, Adam lr {cfg.Lr}, batch {cfg.BatchSize}, {cfg.Epochs} epochs in {fit.Seconds:F1}s " +
                        $"({fit.SamplesPerSecond:N0} samples/s): test accuracy {acc:F4}.")
            .Add(new ImageGridBlock("First-layer 5×5 filters (dark = negative, light = positive)", 5, 5, 6, [.. tiles], Scale: 14))
            .Add(LabPlots.Confusion("Confusion matrix (test set)", predicted, test.Y.ToArray<long>(), LabDatasets.FashionClasses))
            .Add(LabPlots.PredictionGrid("Test images: predicted label (true label when wrong)", test.Slice(0, 24), predicted));
    }
}

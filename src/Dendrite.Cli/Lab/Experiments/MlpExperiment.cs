using System.Globalization;
using Dendrite.Cli.Lab.Common;
using Dendrite.NN;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>12. d2l 4.2–4.3: a 784-256-10 ReLU MLP on Fashion-MNIST with its confusion matrix.</summary>
public sealed class MlpExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "mlp";

    /// <inheritdoc />
    public string Title => "A 784-256-10 MLP on Fashion-MNIST";

    /// <inheritdoc />
    public string Description => "d2l 4.2: one ReLU hidden layer of 256 units, Adam lr 1e-3, batch 256 (target ≥ 0.85); confusion matrix.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => true;

    private sealed record Settings(string Model, string Optimizer, int? TrainLimit, int? TestLimit, int BatchSize, double Lr, int Epochs);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings("mlp:784-256-10", "Adam", ctx.Quick ? 20000 : null, ctx.Quick ? 2000 : null, BatchSize: 256, Lr: 1e-3,
            Epochs: ctx.Quick ? 3 : 10));
        var (train, test) = FashionData.Load(ctx, cfg.TrainLimit, cfg.TestLimit, flatten: true);
        var recipe = new ModelRecipe(cfg.Model, new ModelFactory.Options("relu"));
        var model = recipe.Build(ctx.Rng(1));
        var (fit, acc) = LabTrainer.FitFashionClassifier(ctx, "mlp", model, train, test, cfg.BatchSize, cfg.Lr, cfg.Epochs, recipe);
        ctx.FullTarget("test accuracy ≥ 0.85 (full mode)", acc >= 0.85, acc.ToString("F4", CultureInfo.InvariantCulture));

        var predicted = LabTrainer.Predict(model, test.X).ArgMax(1).ToArray<long>();
        var truth = test.Y.ToArray<long>();
        ctx.Report.Text($"{cfg.Epochs} epochs of Adam (batch {cfg.BatchSize}, lr {cfg.Lr}) in {fit.Seconds:F1}s " +
                        $"({fit.SamplesPerSecond:N0} samples/s): test accuracy {acc:F4}. Shirts, T-shirts, pullovers and coats are the classes most confused.")
            .Add(LabPlots.Confusion("Confusion matrix (test set)", predicted, truth, LabDatasets.FashionClasses));
        var perClass = LabDatasets.FashionClasses.Select((name, k) =>
        {
            int total = truth.Count(t => t == k), right = Enumerable.Range(0, truth.Length).Count(i => truth[i] == k && predicted[i] == k);
            return new[] { name, total.ToString(CultureInfo.InvariantCulture), (total == 0 ? 0 : (double)right / total).ToString("F3", CultureInfo.InvariantCulture) };
        }).ToArray();
        ctx.Report.Add(new Reports.TableBlock("Per-class accuracy", ["class", "test images", "accuracy"], perClass));
    }
}

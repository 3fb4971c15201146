using System.Globalization;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Reports;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Training;
using Dendrite.Training.Metrics;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>
/// 11. d2l 3.6–3.7: softmax regression on Fashion-MNIST, from scratch (hand-written softmax, cross-entropy and SGD
/// update on autograd gradients) and concise (Linear, F.CrossEntropy, SGD); why softmax and cross-entropy need the
/// log-sum-exp trick.
/// </summary>
public sealed partial class SoftmaxRegressionExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "softmax-regression";

    /// <inheritdoc />
    public string Title => "Softmax regression on Fashion-MNIST";

    /// <inheritdoc />
    public string Description => "d2l: from scratch and concise (target ≥ 0.80 test accuracy); y_hat[[0, 1], y]; naive softmax and cross-entropy (log 0) vs log-sum-exp.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => true;

    private sealed record Settings(int? TrainLimit, int? TestLimit, int BatchSize, double Lr, int Epochs);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings(ctx.Quick ? 20000 : null, ctx.Quick ? 2000 : null, BatchSize: 256, Lr: 0.1, Epochs: ctx.Quick ? 3 : 10));
        var (train, test) = FashionData.Load(ctx, cfg.TrainLimit, cfg.TestLimit, flatten: true);

        // From scratch: W [784, 10], b [10]; softmax and cross-entropy written out; the update p -= lr·∂L/∂p by hand.
        var w = Tensor.RandN([784, 10], ctx.Rng(1)).Mul(0.01);
        var b = Tensor.Zeros(10);
        w.RequiresGrad = b.RequiresGrad = true;
        Tensor Net(Tensor x) => Softmax(x.MatMul(w).Add(b));
        int batches = (train.Count + cfg.BatchSize - 1) / cfg.BatchSize;
        ctx.Progress(p =>
        {
            var bar = p.AddTask("from scratch", cfg.Epochs * batches);
            var rng = ctx.Rng(2);
            for (int epoch = 1; epoch <= cfg.Epochs; epoch++)
            {
                var data = train.Shuffle(rng);
                double lossSum = 0;
                for (int i = 0; i < batches; i++)
                {
                    var mb = data.Slice(i * cfg.BatchSize, Math.Min(cfg.BatchSize, train.Count - i * cfg.BatchSize));
                    var loss = CrossEntropy(Net(mb.X), mb.Y).Mean();
                    loss.Backward();
                    using (Grad.NoGrad())
                        foreach (var param in new[] { w, b })
                        {
                            param.SubInPlace(param.Grad!.Mul(cfg.Lr));
                            param.Grad = null;
                        }
                    lossSum += loss.Item() * mb.Count;
                    bar.Update((epoch - 1) * batches + i + 1, $"epoch {epoch}/{cfg.Epochs} loss {lossSum / Math.Min(train.Count, (i + 1) * cfg.BatchSize):F4}");
                }
                double testAcc;
                using (Grad.NoGrad()) testAcc = Net(test.X).ArgMax(1).Eq(test.Y).To(DType.Float32).Mean().Item();
                ctx.History.Log("scratch", epoch, ("train_loss", lossSum / train.Count), ("test_acc", testAcc));
            }
            bar.Complete("");
        });
        double scratchAcc;
        Tensor testProbabilities;
        using (Grad.NoGrad()) testProbabilities = Net(test.X);
        scratchAcc = testProbabilities.ArgMax(1).Eq(test.Y).To(DType.Float32).Mean().Item();

        // Concise: the same model as a Linear layer; F.CrossEntropy fuses log-softmax and NLL stably.
        var recipe = new ModelRecipe("softmax", new ModelFactory.Options());
        var model = recipe.Build(ctx.Rng(3));
        Init.Normal_(((Linear)((Sequential)model)[0]).Weight, 0, 0.01, ctx.Rng(3));
        var trainer = new Trainer(model, new SGD(model.Parameters(), lr: cfg.Lr), new CrossEntropyLoss(), [new Accuracy()]);
        trainer.EvaluationLoaders["test"] = LabTrainer.EvalLoader(test);
        LabFit fit = default!;
        ctx.Progress(p => fit = LabTrainer.Fit(ctx, p, "concise", trainer, LabTrainer.Loader(train, cfg.BatchSize, ctx.Rng(4)), null, cfg.Epochs));
        Checkpoints.Save(ctx, "concise", model, recipe);
        double conciseAcc = fit.History.Last("test_accuracy") ?? double.NaN;
        ctx.Metric("test_acc_scratch", scratchAcc);
        ctx.Metric("test_acc_concise", conciseAcc);
        ctx.Metric("train_seconds_concise", fit.Seconds);
        ctx.FullTarget("test accuracy ≥ 0.80 (full mode)", Math.Min(scratchAcc, conciseAcc) >= 0.80, $"scratch {scratchAcc:F3}, concise {conciseAcc:F3}");

        ctx.Report.Add(new TableBlock("Test accuracy", ["model", "test accuracy"],
            [["from scratch", scratchAcc.ToString("F4", CultureInfo.InvariantCulture)], ["concise", conciseAcc.ToString("F4", CultureInfo.InvariantCulture)]]));
        PickByLabel(ctx, testProbabilities, test.Y);
        Overflow(ctx);
        StableCrossEntropy(ctx);
        var predicted = LabTrainer.Predict(model, test.X.Narrow(0, 0, 24)).ArgMax(1).ToArray<long>();
        var images = test.Slice(0, 24) with { X = test.X.Narrow(0, 0, 24).Reshape(24, 1, 28, 28) };
        ctx.Report.Add(LabPlots.PredictionGrid("Test images: predicted label (true label when wrong)", images, predicted));
    }

    // softmax(X)_ij = exp(X_ij) / Σ_k exp(X_ik), written naively on purpose (inputs here are small logits).
    private static Tensor Softmax(Tensor x)
    {
        var e = x.Exp();
        return e.Div(e.Sum(1, keepDim: true));
    }

    // −log ŷ[i, y_i], as the course writes it: -log(y_hat[range(len(y_hat)), y]) picks each row's true-class probability
    // by integer-array indexing (gradients flow back to the picked entries).
    private static Tensor CrossEntropy(Tensor yHat, Tensor y) =>
        yHat[Tensor.Arange(0, yHat.Size(0), dtype: DType.Int64, device: yHat.Device), y].Log().Neg();

    // The course's example of picking probabilities by label: y_hat[[0, 1], y] with y = [0, 2] is [0.1, 0.5].
    private static void PickByLabel(ExperimentContext ctx, Tensor testProbabilities, Tensor testLabels)
    {
        var yHat = Tensor.FromArray(new float[,] { { 0.1f, 0.3f, 0.6f }, { 0.3f, 0.2f, 0.5f } });
        var y = Tensor.FromArray(new long[] { 0, 2 }, 2);
        float[] picked = yHat[new long[] { 0, 1 }, y].ToArray<float>();
        float[] loss = CrossEntropy(yHat, y).ToArray<float>();
        ctx.Metric("course_pick_0", picked[0]);
        ctx.Metric("course_pick_1", picked[1]);
        ctx.Expect("y_hat[[0, 1], y] picks [0.1, 0.5]", picked.SequenceEqual([0.1f, 0.5f]), $"[{string.Join(", ", picked)}]");
        // On the test set the same indexing picks exactly what Gather picks, row by row.
        var rows = Tensor.Arange(0, testProbabilities.Size(0), dtype: DType.Int64, device: testProbabilities.Device);
        bool same = testProbabilities[rows, testLabels].ToArray<float>().SequenceEqual(testProbabilities.Gather(1, testLabels.Reshape(-1, 1)).Reshape(-1).ToArray<float>());
        ctx.Expect("y_hat[arange(n), y] equals Gather along the classes on the test set", same, $"{testProbabilities.Size(0)} rows compared");
        ctx.Report.Heading("Picking the true class's probability")
            .Text("The course's cross-entropy is -log(y_hat[range(len(y_hat)), y]): integer-array (advanced) indexing picks, in row i, the " +
                  "probability of the true class y[i]. Dendrite writes it the same way through the indexer, with Int64 tensors or long[]/int[] " +
                  "on any dimension, and autograd sends the gradient back to the picked entries; the from-scratch model above trains with it.")
            .Text("var yHat = Tensor.FromArray(new float[,] { { 0.1f, 0.3f, 0.6f }, { 0.3f, 0.2f, 0.5f } });\n" +
                  "var y = Tensor.FromArray(new long[] { 0, 2 }, 2);\n" +
                  $"yHat[new long[] {{ 0, 1 }}, y]        // [{string.Join(", ", picked.Select(v => v.ToString("0.0###", CultureInfo.InvariantCulture)))}]\n" +
                  $"CrossEntropy(yHat, y)                 // [{string.Join(", ", loss.Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture)))}] = −log 0.1, −log 0.5", mono: true);
    }
}

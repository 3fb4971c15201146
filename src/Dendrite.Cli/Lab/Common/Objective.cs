using Dendrite.NN;

namespace Dendrite.Cli.Lab.Common;

/// <summary>A training objective: the loss of a batch and, for classifiers, how many predictions were right.</summary>
/// <param name="Loss">Mean loss of model outputs against targets.</param>
/// <param name="Correct">Number of correct predictions in a batch, or null for regression.</param>
public sealed record Objective(Func<Tensor, Tensor, Tensor> Loss, Func<Tensor, Tensor, double>? Correct)
{
    /// <summary>Multi-class: logits [N, C] against int64 labels [N], cross-entropy, argmax accuracy.</summary>
    public static Objective CrossEntropy { get; } = new(
        (logits, y) => F.CrossEntropy(logits, y),
        (logits, y) => logits.ArgMax(1).Eq(y).To(DType.Float32).Sum().Item());

    /// <summary>Binary: probabilities [N, 1] (a sigmoid output) against 0/1 labels [N], binary cross-entropy.</summary>
    public static Objective BinaryProbability { get; } = new(
        (p, y) => F.BinaryCrossEntropy(p.Reshape(-1), y),
        (p, y) => p.Reshape(-1).Ge(0.5).To(DType.Float32).Eq(y).To(DType.Float32).Sum().Item());

    /// <summary>Binary: logits [N, 1] against 0/1 labels [N], binary cross-entropy on logits.</summary>
    public static Objective BinaryLogits { get; } = new(
        (z, y) => F.BinaryCrossEntropyWithLogits(z.Reshape(-1), y),
        (z, y) => z.Reshape(-1).Ge(0).To(DType.Float32).Eq(y).To(DType.Float32).Sum().Item());

    /// <summary>Regression: mean squared error, no accuracy.</summary>
    public static Objective Mse { get; } = new((yHat, y) => F.MseLoss(yHat.Reshape(y.Shape.ToArray()), y), null);
}

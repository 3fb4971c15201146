using Dendrite.Ops;

namespace Dendrite.NN;

public static partial class F
{
    /// <summary>Mean squared error: (input − target)², reduced.</summary>
    /// <param name="input">Predictions.</param>
    /// <param name="target">Targets, same shape as <paramref name="input"/>.</param>
    /// <param name="reduction">How to combine the elementwise losses.</param>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckPair("MseLoss", input, target);
        if (reduction == Reduction.Mean && input.Numel > 0)
            return MseLossOp.Apply(input, target);
        return Reduce(input.Sub(target).Square(), reduction);
    }

    /// <summary>Mean absolute error: |input − target|, reduced.</summary>
    /// <param name="input">Predictions.</param>
    /// <param name="target">Targets, same shape as <paramref name="input"/>.</param>
    /// <param name="reduction">How to combine the elementwise losses.</param>
    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckPair("L1Loss", input, target);
        return Reduce(input.Sub(target).Abs(), reduction);
    }

    /// <summary>Huber loss of d = input − target: ½d² where |d| &lt; delta, else delta·(|d| − ½delta); reduced.</summary>
    /// <param name="input">Predictions.</param>
    /// <param name="target">Targets, same shape as <paramref name="input"/>.</param>
    /// <param name="delta">Where the loss turns from quadratic to linear; positive.</param>
    /// <param name="reduction">How to combine the elementwise losses.</param>
    public static Tensor HuberLoss(Tensor input, Tensor target, double delta = 1.0, Reduction reduction = Reduction.Mean)
    {
        CheckPair("HuberLoss", input, target);
        if (!(delta > 0))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, $"HuberLoss: delta must be positive, got {delta}.");
        return Reduce(HuberLossOp.Apply(input, target, delta), reduction);
    }

    /// <summary>
    /// Binary cross-entropy between probabilities <paramref name="input"/> in [0, 1] and targets:
    /// −weight·(t·log x + (1 − t)·log(1 − x)), each log clamped to ≥ −100; reduced.
    /// </summary>
    /// <param name="input">Probabilities in [0, 1].</param>
    /// <param name="target">Targets (usually 0 or 1), same shape as <paramref name="input"/>.</param>
    /// <param name="weight">Optional weight broadcast to the input's shape.</param>
    /// <param name="reduction">How to combine the elementwise losses.</param>
    /// <exception cref="ArgumentException">An input element is outside [0, 1] (the message names it).</exception>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean)
    {
        CheckPair("BinaryCrossEntropy", input, target);
        var loss = BinaryCrossEntropyOp.Apply(input, target);
        if (weight is not null)
            loss = loss.Mul(CheckedWeight("BinaryCrossEntropy", "weight", weight, input));
        return Reduce(loss, reduction);
    }

    /// <summary>
    /// Binary cross-entropy on logits, computed stably as max(x, 0) − x·t + log(1 + e^(−|x|)) (sigmoid folded in);
    /// with <paramref name="posWeight"/> the positive term t·log σ(x) is weighted by it. Reduced.
    /// </summary>
    /// <param name="input">Raw scores (logits).</param>
    /// <param name="target">Targets in [0, 1], same shape as <paramref name="input"/>.</param>
    /// <param name="weight">Optional weight broadcast to the input's shape.</param>
    /// <param name="posWeight">Optional positive-class weight broadcast to the input's shape (e.g. one per class).</param>
    /// <param name="reduction">How to combine the elementwise losses.</param>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null, Tensor? posWeight = null,
        Reduction reduction = Reduction.Mean)
    {
        const string op = "BinaryCrossEntropyWithLogits";
        CheckPair(op, input, target);
        if (posWeight is not null)
            CheckedWeight(op, "posWeight", posWeight, input);
        var loss = BceWithLogitsOp.Apply(input, target, posWeight);
        if (weight is not null)
            loss = loss.Mul(CheckedWeight(op, "weight", weight, input));
        return Reduce(loss, reduction);
    }

    /// <summary>
    /// Cross-entropy between raw class scores and class indices, as one fused, numerically stable
    /// log-softmax + NLL: logits [N, C] (or [N, C, d1, ...] with target [N, d1, ...], or [C] with a scalar target).
    /// With class weights the mean divides by the summed weights of the targets; with label smoothing ε the loss is
    /// (1 − ε)·nll + ε·mean_c(−log p_c). Targets equal to <paramref name="ignoreIndex"/> contribute nothing.
    /// </summary>
    /// <param name="input">Logits [N, C, ...].</param>
    /// <param name="target">Int64 class indices [N, ...] in [0, C).</param>
    /// <param name="weight">Optional per-class weight [C].</param>
    /// <param name="labelSmoothing">Smoothing ε in [0, 1].</param>
    /// <param name="ignoreIndex">A target value that is skipped.</param>
    /// <param name="reduction">None gives one loss per sample (shape of the target).</param>
    /// <exception cref="ArgumentException">A label is outside [0, C) (the message names it and C), or shapes mismatch.</exception>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, double labelSmoothing = 0.0,
        long ignoreIndex = -100, Reduction reduction = Reduction.Mean)
    {
        const string op = "CrossEntropy";
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, $"{op}: label smoothing must be in [0, 1], got {labelSmoothing}.");
        var (scores, labels, shape) = ClassInputs(op, input, target, weight, ignoreIndex);
        var loss = CrossEntropyOp.Apply(scores, labels, weight, labelSmoothing, ignoreIndex, reduction);
        return reduction == Reduction.None ? loss.Reshape(shape) : loss;
    }

    /// <summary>
    /// Negative log-likelihood of class indices under log-probabilities (e.g. from LogSoftmax): −weight[y]·logProbs[y],
    /// with the same shapes, weighting and ignore rules as <see cref="CrossEntropy"/>.
    /// </summary>
    /// <param name="input">Log-probabilities [N, C, ...].</param>
    /// <param name="target">Int64 class indices [N, ...] in [0, C).</param>
    /// <param name="weight">Optional per-class weight [C].</param>
    /// <param name="ignoreIndex">A target value that is skipped.</param>
    /// <param name="reduction">None gives one loss per sample (shape of the target).</param>
    /// <exception cref="ArgumentException">A label is outside [0, C) (the message names it and C), or shapes mismatch.</exception>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean)
    {
        var (scores, labels, shape) = ClassInputs("NllLoss", input, target, weight, ignoreIndex);
        var loss = NllLossOp.Apply(scores, labels, weight, ignoreIndex, reduction);
        return reduction == Reduction.None ? loss.Reshape(shape) : loss;
    }

    // Brings class scores to [M, C] (classes last) and the target to [M]; returns the per-sample output shape.
    private static (Tensor Scores, Tensor Labels, int[] SampleShape) ClassInputs(string op, Tensor input, Tensor target, Tensor? weight, long ignoreIndex)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (input.Rank < 1)
            throw new ArgumentException($"{op}: input must have a class dimension ([N, C] or [C]), got a scalar.");
        Tensor scores;
        if (input.Rank == 1)
            scores = input.Unsqueeze(0);
        else if (input.Rank == 2)
            scores = input;
        else
        {
            // [N, C, d1, ...] -> [N, d1, ..., C] -> [N·d1·..., C]
            var perm = new int[input.Rank];
            perm[0] = 0;
            for (int i = 2; i < input.Rank; i++)
                perm[i - 1] = i;
            perm[^1] = 1;
            scores = input.Permute(perm).Reshape(-1, input.ShapeArray[1]);
        }
        var labels = ClassTargets.Check(op, scores, target, weight, ignoreIndex, input.ShapeArray, target.ShapeArray);
        return (scores, labels, target.ShapeArray);
    }

    private static void CheckPair(string op, Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        input.CheckFloating(op);
        if (!ShapeUtil.SameShape(input.ShapeArray, target.ShapeArray))
            throw new ArgumentException($"{op}: target shape {ShapeUtil.Format(target.ShapeArray)} must equal input shape {ShapeUtil.Format(input.ShapeArray)}.");
        if (target.DType != input.DType)
            throw new ArgumentException($"{op}: input is {input.DType} but target is {target.DType}; convert them to one dtype.");
    }

    private static Tensor CheckedWeight(string op, string what, Tensor weight, Tensor input)
    {
        if (weight.DType != input.DType)
            throw new ArgumentException($"{op}: input is {input.DType} but {what} is {weight.DType}; convert them to one dtype.");
        var shape = ShapeUtil.Broadcast(input.ShapeArray, weight.ShapeArray, op);
        if (!ShapeUtil.SameShape(shape, input.ShapeArray))
            throw new ArgumentException($"{op}: {what} of shape {ShapeUtil.Format(weight.ShapeArray)} cannot be broadcast to the input shape {ShapeUtil.Format(input.ShapeArray)}.");
        return weight;
    }

    private static Tensor Reduce(Tensor loss, Reduction reduction) => reduction switch
    {
        Reduction.None => loss,
        Reduction.Mean => loss.Mean(),
        Reduction.Sum => loss.Sum(),
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Loss: unknown reduction."),
    };
}

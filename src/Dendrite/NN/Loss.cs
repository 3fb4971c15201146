namespace Dendrite.NN;

/// <summary>
/// The base of loss modules (like PyTorch's <c>_Loss</c>): <c>loss.Forward(input, target)</c> or
/// <c>loss.Call(input, target)</c>, reduced as <see cref="Reduction"/> says.
/// </summary>
public abstract class Loss : Module
{
    /// <summary>Sets the reduction.</summary>
    private protected Loss(Reduction reduction) => Reduction = reduction;

    /// <summary>How per-element losses are combined (mean by default).</summary>
    public Reduction Reduction { get; }

    /// <summary>The loss of <paramref name="input"/> against <paramref name="target"/>.</summary>
    public abstract Tensor Forward(Tensor input, Tensor target);

    /// <summary>Runs <see cref="Forward(Tensor, Tensor)"/> (PyTorch's <c>loss_fn(input, target)</c>).</summary>
    public Tensor Call(Tensor input, Tensor target) => Forward(input, target);

    /// <summary>A loss needs a target: calling it with one argument throws.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException($"{GetType().Name}: a loss needs a target; call Forward(input, target).");
}

/// <summary>Mean squared error (x − y)² (like <c>torch.nn.MSELoss</c>).</summary>
public sealed class MSELoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.MseLoss(input, target, Reduction);
}

/// <summary>Mean absolute error |x − y| (like <c>torch.nn.L1Loss</c>).</summary>
public sealed class L1Loss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.L1Loss(input, target, Reduction);
}

/// <summary>Huber loss: quadratic within <see cref="Delta"/> of the target, linear beyond (like <c>torch.nn.HuberLoss</c>).</summary>
public sealed class HuberLoss(Reduction reduction = Reduction.Mean, double delta = 1.0) : Loss(reduction)
{
    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public double Delta { get; } = delta;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.HuberLoss(input, target, Delta, Reduction);
}

/// <summary>Binary cross-entropy of probabilities in (0, 1) (like <c>torch.nn.BCELoss</c>), optionally weighted per element.</summary>
public sealed class BCELoss : Loss
{
    /// <summary>Creates the loss; <paramref name="weight"/> is registered as the buffer <c>weight</c>.</summary>
    public BCELoss(Tensor? weight = null, Reduction reduction = Reduction.Mean)
        : base(reduction) => Weight = RegisterBuffer("weight", weight);

    /// <summary>Weight broadcast to the input, or null.</summary>
    public Tensor? Weight { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.BinaryCrossEntropy(input, target, Weight, Reduction);
}

/// <summary>Sigmoid + binary cross-entropy in one stable op on logits (like <c>torch.nn.BCEWithLogitsLoss</c>).</summary>
public sealed class BCEWithLogitsLoss : Loss
{
    /// <summary>Creates the loss; the weights are registered as the buffers <c>weight</c> and <c>pos_weight</c>.</summary>
    public BCEWithLogitsLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? posWeight = null)
        : base(reduction)
    {
        Weight = RegisterBuffer("weight", weight);
        PosWeight = RegisterBuffer("pos_weight", posWeight);
    }

    /// <summary>Weight broadcast to the input, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>Weight of the positive term (e.g. one per class), or null.</summary>
    public Tensor? PosWeight { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.BinaryCrossEntropyWithLogits(input, target, Weight, PosWeight, Reduction);
}

/// <summary>
/// Cross-entropy of logits [N, C] against Int64 class indices [N] (like <c>torch.nn.CrossEntropyLoss</c>), with
/// optional class weights, label smoothing and an ignored index.
/// </summary>
public sealed class CrossEntropyLoss : Loss
{
    /// <summary>Creates the loss; <paramref name="weight"/> is registered as the buffer <c>weight</c>.</summary>
    public CrossEntropyLoss(Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean, double labelSmoothing = 0.0)
        : base(reduction)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, $"CrossEntropyLoss: label smoothing must be in [0, 1], got {labelSmoothing}.");
        Weight = RegisterBuffer("weight", weight);
        IgnoreIndex = ignoreIndex;
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>Per-class weight [C], or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>Target value that contributes nothing.</summary>
    public long IgnoreIndex { get; }

    /// <summary>Label smoothing ε in [0, 1].</summary>
    public double LabelSmoothing { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.CrossEntropy(input, target, Weight, LabelSmoothing, IgnoreIndex, Reduction);
}

/// <summary>Negative log-likelihood of log-probabilities [N, C] against Int64 class indices (like <c>torch.nn.NLLLoss</c>).</summary>
public sealed class NLLLoss : Loss
{
    /// <summary>Creates the loss; <paramref name="weight"/> is registered as the buffer <c>weight</c>.</summary>
    public NLLLoss(Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean)
        : base(reduction)
    {
        Weight = RegisterBuffer("weight", weight);
        IgnoreIndex = ignoreIndex;
    }

    /// <summary>Per-class weight [C], or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>Target value that contributes nothing.</summary>
    public long IgnoreIndex { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.NllLoss(input, target, Weight, IgnoreIndex, Reduction);
}

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
public sealed class BCELoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>Weight broadcast to the input, or null.</summary>
    public Tensor? Weight { get; } = weight;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.BinaryCrossEntropy(input, target, Weight, Reduction);
}

/// <summary>Sigmoid + binary cross-entropy in one stable op on logits (like <c>torch.nn.BCEWithLogitsLoss</c>).</summary>
public sealed class BCEWithLogitsLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? posWeight = null) : Loss(reduction)
{
    /// <summary>Weight broadcast to the input, or null.</summary>
    public Tensor? Weight { get; } = weight;

    /// <summary>Weight of the positive term (e.g. one per class), or null.</summary>
    public Tensor? PosWeight { get; } = posWeight;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.BinaryCrossEntropyWithLogits(input, target, Weight, PosWeight, Reduction);
}

/// <summary>
/// Cross-entropy of logits [N, C] against Int64 class indices [N] (like <c>torch.nn.CrossEntropyLoss</c>), with
/// optional class weights, label smoothing and an ignored index.
/// </summary>
public sealed class CrossEntropyLoss(Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean, double labelSmoothing = 0.0) : Loss(reduction)
{
    /// <summary>Per-class weight [C], or null.</summary>
    public Tensor? Weight { get; } = weight;

    /// <summary>Target value that contributes nothing.</summary>
    public long IgnoreIndex { get; } = ignoreIndex;

    /// <summary>Label smoothing ε in [0, 1].</summary>
    public double LabelSmoothing { get; } = labelSmoothing;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.CrossEntropy(input, target, Weight, LabelSmoothing, IgnoreIndex, Reduction);
}

/// <summary>Negative log-likelihood of log-probabilities [N, C] against Int64 class indices (like <c>torch.nn.NLLLoss</c>).</summary>
public sealed class NLLLoss(Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>Per-class weight [C], or null.</summary>
    public Tensor? Weight { get; } = weight;

    /// <summary>Target value that contributes nothing.</summary>
    public long IgnoreIndex { get; } = ignoreIndex;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => F.NllLoss(input, target, Weight, IgnoreIndex, Reduction);
}

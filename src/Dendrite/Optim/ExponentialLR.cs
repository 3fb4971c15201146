namespace Dendrite.Optim;

/// <summary>Multiplies the learning rate by <see cref="Gamma"/> every epoch (like <c>torch.optim.lr_scheduler.ExponentialLR</c>).</summary>
public sealed class ExponentialLR : LRScheduler
{
    /// <summary>Creates the schedule and sets epoch 0.</summary>
    public ExponentialLR(Optimizer optimizer, double gamma, int lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        Gamma = gamma;
        InitialStep();
    }

    /// <summary>Decay factor per epoch.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    protected override double[] GetLr() => MapGroups((lr, _) => LastEpoch == 0 ? lr : lr * Gamma);

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr() => [.. BaseLrs.Select(b => b * Math.Pow(Gamma, LastEpoch))];
}

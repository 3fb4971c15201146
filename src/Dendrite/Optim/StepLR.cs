namespace Dendrite.Optim;

/// <summary>Multiplies the learning rate by <see cref="Gamma"/> every <see cref="StepSize"/> epochs (like <c>torch.optim.lr_scheduler.StepLR</c>).</summary>
public sealed class StepLR : LRScheduler
{
    /// <summary>Creates the schedule and sets epoch 0.</summary>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1, int lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        if (stepSize <= 0)
            throw new ArgumentException($"StepLR: stepSize must be positive, got {stepSize}.");
        StepSize = stepSize;
        Gamma = gamma;
        InitialStep();
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>Decay factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    protected override double[] GetLr() =>
        MapGroups((lr, _) => LastEpoch == 0 || LastEpoch % StepSize != 0 ? lr : lr * Gamma);

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr() => [.. BaseLrs.Select(b => b * Math.Pow(Gamma, LastEpoch / StepSize))];
}

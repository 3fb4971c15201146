namespace Dendrite.Optim;

/// <summary>
/// Scales the rate by a factor that moves linearly from <see cref="StartFactor"/> to <see cref="EndFactor"/> over
/// <see cref="TotalIters"/> epochs (like <c>torch.optim.lr_scheduler.LinearLR</c>); the usual linear warm-up.
/// Combine it with another schedule through <see cref="SequentialLR"/>.
/// </summary>
public sealed class LinearLR : LRScheduler
{
    /// <summary>Creates the schedule and sets epoch 0.</summary>
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5, int lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        if (!(startFactor > 0 && startFactor <= 1))
            throw new ArgumentException($"LinearLR: startFactor must be in (0, 1], got {startFactor}.");
        if (!(endFactor >= 0 && endFactor <= 1))
            throw new ArgumentException($"LinearLR: endFactor must be in [0, 1], got {endFactor}.");
        if (totalIters <= 0)
            throw new ArgumentException($"LinearLR: totalIters must be positive, got {totalIters}.");
        StartFactor = startFactor;
        EndFactor = endFactor;
        TotalIters = totalIters;
        InitialStep();
    }

    /// <summary>Factor at epoch 0.</summary>
    public double StartFactor { get; }

    /// <summary>Factor from epoch <see cref="TotalIters"/> on.</summary>
    public double EndFactor { get; }

    /// <summary>Length of the ramp in epochs.</summary>
    public int TotalIters { get; }

    /// <inheritdoc/>
    protected override double[] GetLr()
    {
        if (LastEpoch == 0)
            return MapGroups((lr, _) => lr * StartFactor);
        if (LastEpoch > TotalIters)
            return MapGroups((lr, _) => lr);
        // Ratio of consecutive factors applied to the current rate.
        double ratio = 1 + (EndFactor - StartFactor) / (TotalIters * StartFactor + (LastEpoch - 1) * (EndFactor - StartFactor));
        return MapGroups((lr, _) => lr * ratio);
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr() =>
        [.. BaseLrs.Select(b => b * (StartFactor + (EndFactor - StartFactor) * Math.Min(TotalIters, LastEpoch) / TotalIters))];
}

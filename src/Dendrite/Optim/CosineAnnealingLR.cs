namespace Dendrite.Optim;

/// <summary>
/// Cosine annealing from the initial rate down to <see cref="EtaMin"/> over <see cref="TMax"/> epochs, then back up
/// (like <c>torch.optim.lr_scheduler.CosineAnnealingLR</c>, in its recursive form):
/// ηₜ = η_min + (η_max − η_min)(1 + cos(πt/T_max))/2 in closed form.
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    /// <summary>Creates the schedule and sets epoch 0.</summary>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0, int lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        if (tMax <= 0)
            throw new ArgumentException($"CosineAnnealingLR: tMax must be positive, got {tMax}.");
        TMax = tMax;
        EtaMin = etaMin;
        InitialStep();
    }

    /// <summary>Half-period in epochs.</summary>
    public int TMax { get; }

    /// <summary>Minimum learning rate.</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    protected override double[] GetLr()
    {
        int t = LastEpoch;
        if (t == 0)
            return MapGroups((lr, _) => lr);
        if (StepCount == 1 && t > 0)
            return MapGroups((_, i) => EtaMin + (BaseLrs[i] - EtaMin) * (1 + Math.Cos(t * Math.PI / TMax)) / 2);
        if (PyMod(t - 1 - TMax, 2 * TMax) == 0)
            return MapGroups((lr, i) => lr + (BaseLrs[i] - EtaMin) * (1 - Math.Cos(Math.PI / TMax)) / 2);
        // Ratio of consecutive closed-form values applied to the current rate.
        return MapGroups((lr, _) => (1 + Math.Cos(Math.PI * t / TMax)) / (1 + Math.Cos(Math.PI * (t - 1) / TMax)) * (lr - EtaMin) + EtaMin);
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr() =>
        [.. BaseLrs.Select(b => EtaMin + (b - EtaMin) * (1 + Math.Cos(Math.PI * LastEpoch / TMax)) / 2)];
}

namespace Dendrite.Optim;

/// <summary>Multiplies the learning rate by <see cref="Gamma"/> at each milestone epoch (like <c>torch.optim.lr_scheduler.MultiStepLR</c>).</summary>
public sealed class MultiStepLR : LRScheduler
{
    private readonly int[] _sorted;

    /// <summary>Creates the schedule and sets epoch 0. A milestone listed twice decays twice.</summary>
    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1, int lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        _sorted = [.. milestones.Order()];
        Gamma = gamma;
        InitialStep();
    }

    /// <summary>The milestone epochs, sorted.</summary>
    public IReadOnlyList<int> Milestones => _sorted;

    /// <summary>Decay factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    protected override double[] GetLr()
    {
        int count = _sorted.Count(m => m == LastEpoch);
        return MapGroups((lr, _) => count == 0 ? lr : lr * Math.Pow(Gamma, count));
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr()
    {
        int passed = _sorted.Count(m => m <= LastEpoch);
        return [.. BaseLrs.Select(b => b * Math.Pow(Gamma, passed))];
    }
}

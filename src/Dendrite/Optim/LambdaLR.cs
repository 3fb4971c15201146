namespace Dendrite.Optim;

/// <summary>Sets each group's rate to its initial rate times a function of the epoch (like <c>torch.optim.lr_scheduler.LambdaLR</c>).</summary>
public sealed class LambdaLR : LRScheduler
{
    private readonly Func<int, double>[] _lambdas;

    /// <summary>One factor function for every group.</summary>
    public LambdaLR(Optimizer optimizer, Func<int, double> lrLambda, int lastEpoch = -1)
        : this(optimizer, Enumerable.Repeat(lrLambda ?? throw new ArgumentNullException(nameof(lrLambda)), optimizer?.ParamGroups.Count ?? 0).ToArray(), lastEpoch)
    {
    }

    /// <summary>One factor function per group.</summary>
    public LambdaLR(Optimizer optimizer, IReadOnlyList<Func<int, double>> lrLambdas, int lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        ArgumentNullException.ThrowIfNull(lrLambdas);
        if (lrLambdas.Count != optimizer.ParamGroups.Count)
            throw new ArgumentException($"LambdaLR: expected {optimizer.ParamGroups.Count} lambdas (one per parameter group), got {lrLambdas.Count}.");
        _lambdas = [.. lrLambdas];
        InitialStep();
    }

    /// <inheritdoc/>
    protected override double[] GetLr() => MapGroups((_, i) => BaseLrs[i] * _lambdas[i](LastEpoch));
}

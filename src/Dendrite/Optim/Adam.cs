namespace Dendrite.Optim;

/// <summary>
/// Adam as in PyTorch 1.13: d = g + λp; m = β₁m + (1 − β₁)d; v = β₂v + (1 − β₂)d²;
/// p = p − (lr / (1 − β₁ᵗ))·m / (√v̂ / √(1 − β₂ᵗ) + ε) with v̂ = v, or with <c>amsgrad</c> the running maximum of v.
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>Optimizes <paramref name="parameters"/> as one group.</summary>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : this([new ParamGroup(parameters)], lr, betas, eps, weightDecay, amsgrad)
    {
    }

    /// <summary>Optimizes several groups; their null hyper-parameters take these values. <paramref name="betas"/> defaults to (0.9, 0.999).</summary>
    public Adam(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : base(groups, AdamUpdate.Validate("Adam", lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad), AdamUpdate.StateNames)
    {
    }

    /// <inheritdoc/>
    public override void Step()
    {
        foreach (var group in Groups)
            foreach (var p in group.ParamArray)
            {
                if (GradOf(p) is not { } g)
                    continue;
                var s = State(p);
                AdamUpdate.Run(p, g, s.Buffers, ref s.Step, group, decoupled: false);
            }
    }
}

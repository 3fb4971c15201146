namespace Dendrite.Optim;

/// <summary>
/// AdamW as in PyTorch 1.13: Adam without the L2 term in the gradient, and decoupled decay p = p·(1 − lr·λ) before
/// each update.
/// </summary>
public sealed class AdamW : Optimizer
{
    /// <summary>Optimizes <paramref name="parameters"/> as one group.</summary>
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0.01, bool amsgrad = false)
        : this([new ParamGroup(parameters)], lr, betas, eps, weightDecay, amsgrad)
    {
    }

    /// <summary>Optimizes several groups; their null hyper-parameters take these values. <paramref name="betas"/> defaults to (0.9, 0.999).</summary>
    public AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0.01, bool amsgrad = false)
        : base(groups, AdamUpdate.Validate("AdamW", lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad), AdamUpdate.StateNames)
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
                AdamUpdate.Run(p, g, s.Buffers, ref s.Step, group, decoupled: true);
            }
    }
}

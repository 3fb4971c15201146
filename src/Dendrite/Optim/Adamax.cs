using Dendrite.Backends;

namespace Dendrite.Optim;

/// <summary>
/// Adamax (Adam with the infinity norm) as documented for PyTorch 1.13 (<c>torch.optim.Adamax</c>): with g_t the
/// gradient (plus λθ when weight decay λ ≠ 0), m_t = β₁·m_{t−1} + (1 − β₁)·g_t,
/// u_t = max(β₂·u_{t−1}, |g_t| + ε), θ_t = θ_{t−1} − γ·m_t / ((1 − β₁ᵗ)·u_t); m and u start at 0 (state
/// <c>exp_avg</c>, <c>exp_inf</c>).
/// </summary>
public sealed class Adamax : Optimizer
{
    private const int ExpAvg = 0, ExpInf = 1;

    /// <summary>Optimizes <paramref name="parameters"/> as one group. <paramref name="betas"/> defaults to (0.9, 0.999).</summary>
    public Adamax(IEnumerable<Tensor> parameters, double lr = 2e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0)
        : this([new ParamGroup(parameters)], lr, betas, eps, weightDecay)
    {
    }

    /// <summary>Optimizes several groups; their null hyper-parameters take these values.</summary>
    public Adamax(IEnumerable<ParamGroup> groups, double lr = 2e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0)
        : base(groups, Validate(lr, betas ?? (0.9, 0.999), eps, weightDecay), ["exp_avg", "exp_inf"])
    {
    }

    private static ParamGroup Validate(double lr, (double Beta1, double Beta2) betas, double eps, double weightDecay)
    {
        var g = AdamUpdate.Validate("Adamax", lr, betas, eps, weightDecay, amsgrad: false);
        return new ParamGroup([], lr: g.Lr, betas: g.Betas, eps: g.Eps, weightDecay: g.WeightDecay);
    }

    /// <inheritdoc/>
    public override void Step()
    {
        foreach (var group in Groups)
        {
            var (beta1, beta2) = group.Betas;
            foreach (var p in group.ParamArray)
            {
                if (GradOf(p) is not { } g)
                    continue;
                var s = State(p);
                var m = s.Buffers[ExpAvg] ??= NewBuffer(p, 0);
                var u = s.Buffers[ExpInf] ??= NewBuffer(p, 0);
                s.Step++;
                double clr = group.Lr / (1 - Math.Pow(beta1, s.Step));
                p.Backend.AdamaxStep(p.Raw, g.Raw, m.Raw, u.Raw, new AdamaxHyper(-clr, beta1, beta2, group.Eps, group.WeightDecay));
                p.BumpVersion();
            }
        }
    }
}

using Dendrite.Backends;

namespace Dendrite.Optim;

/// <summary>
/// NAdam (Adam with Nesterov momentum) as in PyTorch 1.13 (<c>torch.optim.NAdam</c>). The documented algorithm: with
/// g_t the gradient (plus λθ when weight decay λ ≠ 0), μ_t = β₁(1 − ½·0.96^(tψ)), μ_{t+1} = β₁(1 − ½·0.96^((t+1)ψ)),
/// m_t = β₁·m_{t−1} + (1 − β₁)·g_t, v_t = β₂·v_{t−1} + (1 − β₂)·g_t², v̂_t = v_t / (1 − β₂ᵗ) and
/// θ_t = θ_{t−1} − γ(1 − μ_t)·g_t / ((1 − Π_{i≤t} μ_i)(√v̂_t + ε)) − γ·μ_{t+1}·m_t / ((1 − Π_{i≤t+1} μ_i)(√v̂_t + ε)).
/// </summary>
/// <remarks>
/// PyTorch 1.13's implementation, which this class reproduces so that trajectories match it, differs from the
/// documented formula in two details: the second product is taken as Π_{i≤t} μ_i · μ_t · μ_{t+1} (μ_t counted twice;
/// PyTorch 2.0 changed it to the documented Π_{i≤t+1} μ_i), and the running product (state <c>mu_product</c>) is a
/// float32 scalar, rounded to float32 at every multiplication whatever the parameters' dtype.
/// </remarks>
public sealed class NAdam : Optimizer
{
    private const int ExpAvg = 0, ExpAvgSq = 1;
    private const int MuProduct = 0;

    /// <summary>Optimizes <paramref name="parameters"/> as one group. <paramref name="betas"/> defaults to (0.9, 0.999).</summary>
    public NAdam(IEnumerable<Tensor> parameters, double lr = 2e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, double momentumDecay = 4e-3)
        : this([new ParamGroup(parameters)], lr, betas, eps, weightDecay, momentumDecay)
    {
    }

    /// <summary>Optimizes several groups; their null hyper-parameters take these values.</summary>
    public NAdam(IEnumerable<ParamGroup> groups, double lr = 2e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, double momentumDecay = 4e-3)
        : base(groups, Validate(lr, betas ?? (0.9, 0.999), eps, weightDecay, momentumDecay), ["exp_avg", "exp_avg_sq"], ["mu_product"])
    {
    }

    private static ParamGroup Validate(double lr, (double Beta1, double Beta2) betas, double eps, double weightDecay, double momentumDecay)
    {
        var g = AdamUpdate.Validate("NAdam", lr, betas, eps, weightDecay, amsgrad: false);
        if (!(momentumDecay >= 0)) throw new ArgumentException($"NAdam: invalid momentumDecay {momentumDecay}.");
        return new ParamGroup([], lr: g.Lr, betas: g.Betas, eps: g.Eps, weightDecay: g.WeightDecay, momentumDecay: momentumDecay);
    }

    /// <inheritdoc/>
    public override void Step()
    {
        foreach (var group in Groups)
        {
            var (beta1, beta2) = group.Betas;
            double lr = group.Lr, psi = group.MomentumDecay;
            foreach (var p in group.ParamArray)
            {
                if (GradOf(p) is not { } g)
                    continue;
                var s = State(p);
                var m = s.Buffers[ExpAvg] ??= NewBuffer(p, 0);
                var v = s.Buffers[ExpAvgSq] ??= NewBuffer(p, 0);
                if (s.Step == 0)
                    s.Scalars[MuProduct] = 1;
                s.Step++;
                long t = s.Step;
                double mu = beta1 * (1 - 0.5 * Math.Pow(0.96, t * psi));
                double muNext = beta1 * (1 - 0.5 * Math.Pow(0.96, (t + 1) * psi));
                // Float32 products, as PyTorch 1.13's mu_product tensor: Πμ_{≤t}, then Πμ_{≤t}·μ_t·μ_{t+1}.
                float product = (float)s.Scalars[MuProduct] * (float)mu;
                float productNext = product * (float)mu * (float)muNext;
                s.Scalars[MuProduct] = product;
                var h = new NAdamHyper(beta1, beta2, group.Eps, group.WeightDecay,
                    Bc2: 1 - Math.Pow(beta2, t),
                    GradCoef: -lr * (1 - mu) / (1 - (double)product),
                    AvgCoef: -lr * muNext / (1 - (double)productNext));
                p.Backend.NAdamStep(p.Raw, g.Raw, m.Raw, v.Raw, h);
                p.BumpVersion();
            }
        }
    }
}

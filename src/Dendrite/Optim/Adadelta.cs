using Dendrite.Backends;

namespace Dendrite.Optim;

/// <summary>
/// Adadelta as documented for PyTorch 1.13 (<c>torch.optim.Adadelta</c>): with g_t the gradient (plus λθ when
/// weight decay λ ≠ 0), v_t = ρ·v_{t−1} + (1 − ρ)·g_t², Δx_t = √(u_{t−1} + ε) / √(v_t + ε) · g_t,
/// u_t = ρ·u_{t−1} + (1 − ρ)·Δx_t², θ_t = θ_{t−1} − γ·Δx_t; v and u start at 0 (state <c>square_avg</c>,
/// <c>acc_delta</c>).
/// </summary>
public sealed class Adadelta : Optimizer
{
    private const int SquareAvg = 0, AccDelta = 1;

    /// <summary>Optimizes <paramref name="parameters"/> as one group.</summary>
    public Adadelta(IEnumerable<Tensor> parameters, double lr = 1.0, double rho = 0.9, double eps = 1e-6, double weightDecay = 0)
        : this([new ParamGroup(parameters)], lr, rho, eps, weightDecay)
    {
    }

    /// <summary>Optimizes several groups; their null hyper-parameters take these values.</summary>
    public Adadelta(IEnumerable<ParamGroup> groups, double lr = 1.0, double rho = 0.9, double eps = 1e-6, double weightDecay = 0)
        : base(groups, Validate(lr, rho, eps, weightDecay), ["square_avg", "acc_delta"])
    {
    }

    private static ParamGroup Validate(double lr, double rho, double eps, double weightDecay)
    {
        if (!(lr >= 0)) throw new ArgumentException($"Adadelta: invalid learning rate {lr}.");
        if (!(rho >= 0 && rho <= 1)) throw new ArgumentException($"Adadelta: invalid rho {rho} (expected in [0, 1]).");
        if (!(eps >= 0)) throw new ArgumentException($"Adadelta: invalid eps {eps}.");
        if (!(weightDecay >= 0)) throw new ArgumentException($"Adadelta: invalid weightDecay {weightDecay}.");
        return new ParamGroup([], lr: lr, rho: rho, eps: eps, weightDecay: weightDecay);
    }

    /// <inheritdoc/>
    public override void Step()
    {
        foreach (var group in Groups)
        {
            var h = new AdadeltaHyper(group.Lr, group.Rho, group.Eps, group.WeightDecay);
            foreach (var p in group.ParamArray)
            {
                if (GradOf(p) is not { } g)
                    continue;
                var s = State(p);
                var v = s.Buffers[SquareAvg] ??= NewBuffer(p, 0);
                var u = s.Buffers[AccDelta] ??= NewBuffer(p, 0);
                s.Step++;
                p.Backend.AdadeltaStep(p.Raw, g.Raw, v.Raw, u.Raw, h);
                p.BumpVersion();
            }
        }
    }
}

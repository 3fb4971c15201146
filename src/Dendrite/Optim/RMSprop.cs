using Dendrite.Backends;

namespace Dendrite.Optim;

/// <summary>
/// RMSprop as in PyTorch 1.13: d = g + λp; v = αv + (1 − α)d²; with <c>centered</c>, m = αm + (1 − α)d and the
/// denominator is √(v − m²) + ε, else √v + ε; with momentum, b = μb + d/denom and p = p − lr·b, else
/// p = p − lr·d/denom.
/// </summary>
public sealed class RMSprop : Optimizer
{
    private const int SquareAvg = 0, MomentumBuffer = 1, GradAvg = 2;

    /// <summary>Optimizes <paramref name="parameters"/> as one group.</summary>
    public RMSprop(IEnumerable<Tensor> parameters, double lr = 0.01, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : this([new ParamGroup(parameters)], lr, alpha, eps, weightDecay, momentum, centered)
    {
    }

    /// <summary>Optimizes several groups; their null hyper-parameters take these values.</summary>
    public RMSprop(IEnumerable<ParamGroup> groups, double lr = 0.01, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(groups, Validate(lr, alpha, eps, weightDecay, momentum, centered), ["square_avg", "momentum_buffer", "grad_avg"])
    {
    }

    private static ParamGroup Validate(double lr, double alpha, double eps, double weightDecay, double momentum, bool centered)
    {
        if (!(lr >= 0)) throw new ArgumentException($"RMSprop: invalid learning rate {lr}.");
        if (!(alpha >= 0)) throw new ArgumentException($"RMSprop: invalid alpha {alpha}.");
        if (!(eps >= 0)) throw new ArgumentException($"RMSprop: invalid eps {eps}.");
        if (!(weightDecay >= 0)) throw new ArgumentException($"RMSprop: invalid weightDecay {weightDecay}.");
        if (!(momentum >= 0)) throw new ArgumentException($"RMSprop: invalid momentum {momentum}.");
        return new ParamGroup([], lr: lr, alpha: alpha, eps: eps, weightDecay: weightDecay, momentum: momentum, centered: centered);
    }

    /// <inheritdoc/>
    public override void Step()
    {
        foreach (var group in Groups)
        {
            bool centered = group.Centered, hasMomentum = group.Momentum > 0;
            foreach (var p in group.ParamArray)
            {
                var g = GradOf(p);
                if (g is null)
                    continue;
                var s = State(p);
                var sq = s.Buffers[SquareAvg] ??= NewBuffer(p, 0);
                var buf = hasMomentum ? s.Buffers[MomentumBuffer] ??= NewBuffer(p, 0) : null;
                var avg = centered ? s.Buffers[GradAvg] ??= NewBuffer(p, 0) : null;
                s.Step++;
                p.Backend.RmspropStep(p.Raw, g.Raw, sq.Raw, buf?.Raw, avg?.Raw, new RmspropHyper(group.Lr, group.Alpha, group.Eps, group.WeightDecay, group.Momentum));
                p.BumpVersion();
            }
        }
    }
}

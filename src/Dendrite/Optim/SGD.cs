using Dendrite.Backends;

namespace Dendrite.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight decay, exactly as
/// <c>torch.optim.SGD</c> in PyTorch 1.13:
/// d = g + λp; b = d on the first step, else b = μb + (1 − τ)d; d = d + μb (Nesterov) or b; p = p − lr·d.
/// </summary>
public sealed class SGD : Optimizer
{
    private const int MomentumBuffer = 0;

    /// <summary>Optimizes <paramref name="parameters"/> as one group.</summary>
    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
        : this([new ParamGroup(parameters)], lr, momentum, dampening, nesterov, weightDecay)
    {
    }

    /// <summary>Optimizes several groups; their null hyper-parameters take these values.</summary>
    public SGD(IEnumerable<ParamGroup> groups, double lr, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
        : base(groups, Validate(lr, momentum, dampening, nesterov, weightDecay), ["momentum_buffer"])
    {
    }

    private static ParamGroup Validate(double lr, double momentum, double dampening, bool nesterov, double weightDecay)
    {
        if (!(lr >= 0)) throw new ArgumentException($"SGD: invalid learning rate {lr}.");
        if (!(momentum >= 0)) throw new ArgumentException($"SGD: invalid momentum {momentum}.");
        if (!(weightDecay >= 0)) throw new ArgumentException($"SGD: invalid weightDecay {weightDecay}.");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"SGD: Nesterov momentum requires momentum > 0 and zero dampening (got momentum={momentum}, dampening={dampening}).");
        return new ParamGroup([], lr: lr, momentum: momentum, dampening: dampening, nesterov: nesterov, weightDecay: weightDecay);
    }

    /// <inheritdoc/>
    public override void Step()
    {
        foreach (var group in Groups)
        {
            double lr = group.Lr, mu = group.Momentum, damp = group.Dampening, wd = group.WeightDecay;
            bool nesterov = group.Nesterov;
            foreach (var p in group.ParamArray)
            {
                var g = GradOf(p);
                if (g is null)
                    continue;
                var s = State(p);
                bool first = false;
                if (mu != 0 && s.Buffers[MomentumBuffer] is null)
                {
                    s.Buffers[MomentumBuffer] = Tensor.EmptyLike(p);
                    first = true;
                }
                var buf = mu != 0 ? s.Buffers[MomentumBuffer] : null;
                s.Step++;
                p.Backend.SgdStep(p.Raw, g.Raw, buf?.Raw, new SgdHyper(lr, mu, damp, wd, nesterov, first));
                p.BumpVersion();
            }
        }
    }
}

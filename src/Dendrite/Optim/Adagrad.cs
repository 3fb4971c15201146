using Dendrite.Backends;

namespace Dendrite.Optim;

/// <summary>
/// Adagrad as in PyTorch 1.13: d = g + λp; s = s + d²; p = p − clr·d / (√s + ε) with
/// clr = lr / (1 + (t − 1)·lrDecay); the sums start at <c>initialAccumulatorValue</c>.
/// </summary>
public sealed class Adagrad : Optimizer
{
    private const int Sum = 0;

    /// <summary>Optimizes <paramref name="parameters"/> as one group.</summary>
    public Adagrad(IEnumerable<Tensor> parameters, double lr = 0.01, double lrDecay = 0, double weightDecay = 0, double initialAccumulatorValue = 0, double eps = 1e-10)
        : this([new ParamGroup(parameters)], lr, lrDecay, weightDecay, initialAccumulatorValue, eps)
    {
    }

    /// <summary>Optimizes several groups; their null hyper-parameters take these values.</summary>
    public Adagrad(IEnumerable<ParamGroup> groups, double lr = 0.01, double lrDecay = 0, double weightDecay = 0, double initialAccumulatorValue = 0, double eps = 1e-10)
        : base(groups, Validate(lr, lrDecay, weightDecay, initialAccumulatorValue, eps), ["sum"])
    {
    }

    private static ParamGroup Validate(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps)
    {
        if (!(lr >= 0)) throw new ArgumentException($"Adagrad: invalid learning rate {lr}.");
        if (!(lrDecay >= 0)) throw new ArgumentException($"Adagrad: invalid lrDecay {lrDecay}.");
        if (!(weightDecay >= 0)) throw new ArgumentException($"Adagrad: invalid weightDecay {weightDecay}.");
        if (!(initialAccumulatorValue >= 0)) throw new ArgumentException($"Adagrad: invalid initialAccumulatorValue {initialAccumulatorValue}.");
        if (!(eps >= 0)) throw new ArgumentException($"Adagrad: invalid eps {eps}.");
        return new ParamGroup([], lr: lr, lrDecay: lrDecay, weightDecay: weightDecay, initialAccumulatorValue: initialAccumulatorValue, eps: eps);
    }

    /// <inheritdoc/>
    public override void Step()
    {
        foreach (var group in Groups)
        {
            foreach (var p in group.ParamArray)
            {
                var g = GradOf(p);
                if (g is null)
                    continue;
                var s = State(p);
                var sum = s.Buffers[Sum] ??= NewBuffer(p, group.InitialAccumulatorValue);
                s.Step++;
                double clr = group.Lr / (1 + (s.Step - 1) * group.LrDecay);
                p.Backend.AdagradStep(p.Raw, g.Raw, sum.Raw, clr, group.WeightDecay, group.Eps);
                p.BumpVersion();
            }
        }
    }
}

using System.Numerics;
using System.Runtime.InteropServices;

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
                if (p.DType == DType.Float32)
                    Update<float>(p.Span<float>(), g.Span<float>(), sum.Span<float>(), clr, group.WeightDecay, group.Eps);
                else
                    Update<double>(p.Span<double>(), g.Span<double>(), sum.Span<double>(), clr, group.WeightDecay, group.Eps);
                p.BumpVersion();
            }
        }
    }

    private static void Update<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> sum, double clrD, double wdD, double epsD)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T negClr = T.CreateTruncating(-clrD), wd = T.CreateTruncating(wdD), eps = T.CreateTruncating(epsD);
        bool hasWd = wdD != 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vp = MemoryMarshal.Cast<T, Vector<T>>(p);
            var vg = MemoryMarshal.Cast<T, Vector<T>>(g);
            var vs = MemoryMarshal.Cast<T, Vector<T>>(sum);
            for (int k = 0; k < vp.Length; k++)
            {
                var d = vg[k];
                if (hasWd)
                    d += wd * vp[k];
                var acc = vs[k] + d * d;
                vs[k] = acc;
                vp[k] += negClr * (d / (Vector.SquareRoot(acc) + new Vector<T>(eps)));
            }
            i = vp.Length * Vector<T>.Count;
        }
        for (; i < p.Length; i++)
        {
            var d = g[i];
            if (hasWd)
                d += wd * p[i];
            var acc = sum[i] + d * d;
            sum[i] = acc;
            p[i] += negClr * (d / (T.Sqrt(acc) + eps));
        }
    }
}

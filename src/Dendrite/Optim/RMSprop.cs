using System.Numerics;
using System.Runtime.InteropServices;

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
                var h = new Hyper(group.Lr, group.Alpha, group.Eps, group.WeightDecay, group.Momentum, centered);
                if (p.DType == DType.Float32)
                    Update<float>(p.Span<float>(), g.Span<float>(), sq.Span<float>(), buf is null ? default : buf.Span<float>(), avg is null ? default : avg.Span<float>(), h);
                else
                    Update<double>(p.Span<double>(), g.Span<double>(), sq.Span<double>(), buf is null ? default : buf.Span<double>(), avg is null ? default : avg.Span<double>(), h);
                p.BumpVersion();
            }
        }
    }

    private readonly record struct Hyper(double Lr, double Alpha, double Eps, double WeightDecay, double Momentum, bool Centered);

    // buf is used only with momentum, gradAvg only when centered.
    private static void Update<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> sq, Span<T> buf, Span<T> gradAvg, Hyper h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T negLr = T.CreateTruncating(-h.Lr), alpha = T.CreateTruncating(h.Alpha), oneMinusAlpha = T.CreateTruncating(1 - h.Alpha);
        T eps = T.CreateTruncating(h.Eps), wd = T.CreateTruncating(h.WeightDecay), mu = T.CreateTruncating(h.Momentum);
        bool hasWd = h.WeightDecay != 0, centered = h.Centered, hasMomentum = h.Momentum > 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vp = MemoryMarshal.Cast<T, Vector<T>>(p);
            var vg = MemoryMarshal.Cast<T, Vector<T>>(g);
            var vs = MemoryMarshal.Cast<T, Vector<T>>(sq);
            var vb = MemoryMarshal.Cast<T, Vector<T>>(buf);
            var va = MemoryMarshal.Cast<T, Vector<T>>(gradAvg);
            var vEps = new Vector<T>(eps);
            for (int k = 0; k < vp.Length; k++)
            {
                var d = vg[k];
                if (hasWd)
                    d += wd * vp[k];
                var v = vs[k] * alpha + oneMinusAlpha * (d * d);
                vs[k] = v;
                Vector<T> denom;
                if (centered)
                {
                    var m = va[k] * alpha + oneMinusAlpha * d;
                    va[k] = m;
                    denom = Vector.SquareRoot(v - m * m) + vEps;
                }
                else
                {
                    denom = Vector.SquareRoot(v) + vEps;
                }
                if (hasMomentum)
                {
                    var b = vb[k] * mu + d / denom;
                    vb[k] = b;
                    vp[k] += negLr * b;
                }
                else
                {
                    vp[k] += negLr * (d / denom);
                }
            }
            i = vp.Length * Vector<T>.Count;
        }
        for (; i < p.Length; i++)
        {
            var d = g[i];
            if (hasWd)
                d += wd * p[i];
            var v = sq[i] * alpha + oneMinusAlpha * (d * d);
            sq[i] = v;
            T denom;
            if (centered)
            {
                var m = gradAvg[i] * alpha + oneMinusAlpha * d;
                gradAvg[i] = m;
                denom = T.Sqrt(v - m * m) + eps;
            }
            else
            {
                denom = T.Sqrt(v) + eps;
            }
            if (hasMomentum)
            {
                var b = buf[i] * mu + d / denom;
                buf[i] = b;
                p[i] += negLr * b;
            }
            else
            {
                p[i] += negLr * (d / denom);
            }
        }
    }
}

using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;

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
                if (p.DType == DType.Float32)
                    Update<float>(p.Span<float>(), g.Span<float>(), buf is null ? default : buf.Span<float>(), lr, mu, damp, wd, nesterov, first);
                else
                    Update<double>(p.Span<double>(), g.Span<double>(), buf is null ? default : buf.Span<double>(), lr, mu, damp, wd, nesterov, first);
                p.BumpVersion();
            }
        }
    }

    private static void Update<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> buf, double lrD, double muD, double dampD, double wdD, bool nesterov, bool first)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T negLr = T.CreateTruncating(-lrD), mu = T.CreateTruncating(muD), oneMinusDamp = T.CreateTruncating(1 - dampD), wd = T.CreateTruncating(wdD);
        bool hasWd = wdD != 0, hasMomentum = muD != 0;
        int i = 0;
        if (typeof(T) == typeof(float) && hasMomentum && !hasWd && !nesterov && !first && dampD == 0 && Vector512.IsHardwareAccelerated)
        {
            // The common momentum step, b = μb + g; p = p − lr·b, without per-element branches; the same
            // operations (unfused multiply, then add) as the general loop, so the same rounding.
            i = MomentumStep(MemoryMarshal.Cast<T, float>(p), MemoryMarshal.Cast<T, float>(g), MemoryMarshal.Cast<T, float>(buf),
                float.CreateTruncating(negLr), float.CreateTruncating(mu));
        }
        if (i == 0 && Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vp = MemoryMarshal.Cast<T, Vector<T>>(p);
            var vg = MemoryMarshal.Cast<T, Vector<T>>(g);
            var vb = hasMomentum ? MemoryMarshal.Cast<T, Vector<T>>(buf) : default;
            for (int k = 0; k < vp.Length; k++)
            {
                var d = vg[k];
                if (hasWd)
                    d += wd * vp[k];
                if (hasMomentum)
                {
                    var b = first ? d : vb[k] * mu + oneMinusDamp * d;
                    vb[k] = b;
                    d = nesterov ? d + mu * b : b;
                }
                vp[k] += negLr * d;
            }
            i = vp.Length * Vector<T>.Count;
        }
        for (; i < p.Length; i++)
        {
            var d = g[i];
            if (hasWd)
                d += wd * p[i];
            if (hasMomentum)
            {
                var b = first ? d : buf[i] * mu + oneMinusDamp * d;
                buf[i] = b;
                d = nesterov ? d + mu * b : b;
            }
            p[i] += negLr * d;
        }
    }

    /// <summary>b = μb + g; p += (−lr)·b over whole 16-float vectors; returns how many elements it did.</summary>
    private static int MomentumStep(Span<float> p, ReadOnlySpan<float> g, Span<float> buf, float negLr, float mu)
    {
        int n = p.Length / 16 * 16;
        if (g.Length < n || buf.Length < n)
            return 0;
        ref float rp = ref MemoryMarshal.GetReference(p);
        ref float rg = ref MemoryMarshal.GetReference(g);
        ref float rb = ref MemoryMarshal.GetReference(buf);
        var vmu = Vector512.Create(mu);
        var vlr = Vector512.Create(negLr);
        for (nuint i = 0; i < (nuint)n; i += 16)
        {
            var b = Vector512.LoadUnsafe(ref rb, i) * vmu + Vector512.LoadUnsafe(ref rg, i);
            b.StoreUnsafe(ref rb, i);
            (Vector512.LoadUnsafe(ref rp, i) + vlr * b).StoreUnsafe(ref rp, i);
        }
        return n;
    }
}

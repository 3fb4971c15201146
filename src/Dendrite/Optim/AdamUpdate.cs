using System.Numerics;
using System.Runtime.InteropServices;

namespace Dendrite.Optim;

/// <summary>The fused Adam/AdamW update over one parameter's memory.</summary>
internal static class AdamUpdate
{
    public const int ExpAvg = 0, ExpAvgSq = 1, MaxExpAvgSq = 2;

    public static readonly string[] StateNames = ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"];

    public static ParamGroup Validate(string name, double lr, (double Beta1, double Beta2) betas, double eps, double weightDecay, bool amsgrad)
    {
        if (!(lr >= 0)) throw new ArgumentException($"{name}: invalid learning rate {lr}.");
        if (!(eps >= 0)) throw new ArgumentException($"{name}: invalid eps {eps}.");
        if (!(betas.Beta1 >= 0 && betas.Beta1 < 1)) throw new ArgumentException($"{name}: invalid beta parameter at index 0: {betas.Beta1}.");
        if (!(betas.Beta2 >= 0 && betas.Beta2 < 1)) throw new ArgumentException($"{name}: invalid beta parameter at index 1: {betas.Beta2}.");
        if (!(weightDecay >= 0)) throw new ArgumentException($"{name}: invalid weightDecay {weightDecay}.");
        return new ParamGroup([], lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad);
    }

    public static void Run(Tensor p, Tensor g, Tensor?[] buffers, ref long step, ParamGroup group, bool decoupled)
    {
        var m = buffers[ExpAvg] ??= Tensor.ZerosLike(p);
        var v = buffers[ExpAvgSq] ??= Tensor.ZerosLike(p);
        var vmax = group.Amsgrad ? buffers[MaxExpAvgSq] ??= Tensor.ZerosLike(p) : null;
        step++;
        var (beta1, beta2) = group.Betas;
        double lr = group.Lr, wd = group.WeightDecay;
        double bc1 = 1 - Math.Pow(beta1, step), bc2 = 1 - Math.Pow(beta2, step);
        var h = new Hyper(
            Decay: decoupled ? 1 - lr * wd : 1,
            L2: decoupled ? 0 : wd,
            Beta1: beta1, Beta2: beta2,
            NegStepSize: -(lr / bc1),
            Bc2Sqrt: Math.Sqrt(bc2),
            Eps: group.Eps);
        if (p.DType == DType.Float32)
            Update<float>(p.Span<float>(), g.Span<float>(), m.Span<float>(), v.Span<float>(), vmax is null ? default : vmax.Span<float>(), vmax is not null, h);
        else
            Update<double>(p.Span<double>(), g.Span<double>(), m.Span<double>(), v.Span<double>(), vmax is null ? default : vmax.Span<double>(), vmax is not null, h);
        p.BumpVersion();
    }

    private readonly record struct Hyper(double Decay, double L2, double Beta1, double Beta2, double NegStepSize, double Bc2Sqrt, double Eps);

    private static void Update<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> m, Span<T> v, Span<T> vmax, bool amsgrad, Hyper h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T decay = T.CreateTruncating(h.Decay), l2 = T.CreateTruncating(h.L2);
        T beta1 = T.CreateTruncating(h.Beta1), oneMinusBeta1 = T.CreateTruncating(1 - h.Beta1);
        T beta2 = T.CreateTruncating(h.Beta2), oneMinusBeta2 = T.CreateTruncating(1 - h.Beta2);
        T negStep = T.CreateTruncating(h.NegStepSize), bc2Sqrt = T.CreateTruncating(h.Bc2Sqrt), eps = T.CreateTruncating(h.Eps);
        bool hasDecay = h.Decay != 1, hasL2 = h.L2 != 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vp = MemoryMarshal.Cast<T, Vector<T>>(p);
            var vg = MemoryMarshal.Cast<T, Vector<T>>(g);
            var vm = MemoryMarshal.Cast<T, Vector<T>>(m);
            var vv = MemoryMarshal.Cast<T, Vector<T>>(v);
            var vx = MemoryMarshal.Cast<T, Vector<T>>(vmax);
            var vEps = new Vector<T>(eps);
            var vBc2 = new Vector<T>(bc2Sqrt);
            for (int k = 0; k < vp.Length; k++)
            {
                var pk = vp[k];
                if (hasDecay)
                    pk *= decay;
                var d = vg[k];
                if (hasL2)
                    d += l2 * pk;
                var mk = vm[k] * beta1 + oneMinusBeta1 * d;
                var sk = vv[k] * beta2 + oneMinusBeta2 * (d * d);
                vm[k] = mk;
                vv[k] = sk;
                if (amsgrad)
                {
                    sk = Vector.Max(vx[k], sk);
                    vx[k] = sk;
                }
                vp[k] = pk + negStep * (mk / (Vector.SquareRoot(sk) / vBc2 + vEps));
            }
            i = vp.Length * Vector<T>.Count;
        }
        for (; i < p.Length; i++)
        {
            var pk = p[i];
            if (hasDecay)
                pk *= decay;
            var d = g[i];
            if (hasL2)
                d += l2 * pk;
            var mk = m[i] * beta1 + oneMinusBeta1 * d;
            var sk = v[i] * beta2 + oneMinusBeta2 * (d * d);
            m[i] = mk;
            v[i] = sk;
            if (amsgrad)
            {
                sk = T.Max(vmax[i], sk);
                vmax[i] = sk;
            }
            p[i] = pk + negStep * (mk / (T.Sqrt(sk) / bc2Sqrt + eps));
        }
    }
}

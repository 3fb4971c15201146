using System.Numerics;
using Dendrite.Autograd;

namespace Dendrite.Ops;

/// <summary>
/// Elementwise binary cross-entropy on logits x with targets t and an optional positive-class weight pw
/// (already broadcast to x's shape), in the stable form
/// loss = (1 − t)·x + (1 + (pw − 1)·t)·sp(−x), with sp(−x) = log(1 + e^(−x)) = max(−x, 0) + log(1 + e^(−|x|)).
/// d/dx = (1 − t) − (1 + (pw − 1)·t)·σ(−x); d/dt = −x + (pw − 1)·sp(−x); d/dpw = t·sp(−x).
/// </summary>
internal sealed class BceWithLogitsOp : GradFn
{
    private int[] _posWeightShape = [];

    public override string Name => "BinaryCrossEntropyWithLogitsBackward";

    public static Tensor Apply(Tensor x, Tensor t, Tensor? posWeight)
    {
        var xc = x.Dense();
        var tc = t.Dense();
        var pw = posWeight is null ? null : posWeight.Detach().Expand(x.ShapeArray).Dense();
        var y = Run(xc, tc, pw, null, 0);
        if (!ShouldRecord(x, t, posWeight))
            return y;
        var fn = new BceWithLogitsOp { _posWeightShape = posWeight is null ? [] : posWeight.ShapeArray };
        if (pw is null)
            fn.Save(xc, tc);
        else
            fn.Save(xc, tc, pw);
        return Record(fn, y, x, t, posWeight);
    }

    private static Tensor Run(Tensor x, Tensor t, Tensor? pw, Tensor? g, int mode)
    {
        var r = Tensor.AllocateLike(x, x.DType, false);
        if (x.DType == DType.Float32)
            Map<float>(x.Span<float>(), t.Span<float>(), pw is null ? default : pw.Span<float>(), g is null ? default : g.Span<float>(), r.Span<float>(), mode);
        else
            Map<double>(x.Span<double>(), t.Span<double>(), pw is null ? default : pw.Span<double>(), g is null ? default : g.Span<double>(), r.Span<double>(), mode);
        return r;
    }

    // mode 0: loss; 1: g·d/dx; 2: g·d/dt; 3: g·d/dpw.
    private static void Map<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, ReadOnlySpan<T> pw, ReadOnlySpan<T> g, Span<T> y, int mode)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool weighted = !pw.IsEmpty;
        for (int i = 0; i < y.Length; i++)
        {
            T xi = x[i], ti = t[i];
            T pwm1 = weighted ? pw[i] - T.One : T.Zero;
            // sp(−x) = max(−x, 0) + log(1 + e^(−|x|))
            T spNeg = T.Max(-xi, T.Zero) + T.LogP1(T.Exp(-T.Abs(xi)));
            y[i] = mode switch
            {
                0 => (T.One - ti) * xi + (T.One + pwm1 * ti) * spNeg,
                1 => g[i] * ((T.One - ti) - (T.One + pwm1 * ti) * Sigmoid(-xi)),
                2 => g[i] * (-xi + pwm1 * spNeg),
                _ => g[i] * ti * spNeg,
            };
        }
    }

    private static T Sigmoid<T>(T v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (v >= T.Zero)
            return T.One / (T.One + T.Exp(-v));
        T e = T.Exp(v);
        return e / (T.One + e);
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var x = Saved(0);
        var t = Saved(1);
        Tensor? pw = Inputs[2] is null ? null : Saved(2);
        var g = gradOutput.Dense();
        Tensor? gx = NeedsGrad(0) ? Run(x, t, pw, g, 1) : null;
        Tensor? gt = NeedsGrad(1) ? Run(x, t, pw, g, 2) : null;
        Tensor? gpw = NeedsGrad(2) ? Dispatch.SumTo(Run(x, t, pw, g, 3), _posWeightShape) : null;
        return [gx, gt, gpw];
    }
}

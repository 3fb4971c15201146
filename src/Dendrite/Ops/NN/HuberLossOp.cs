using System.Numerics;
using Dendrite.Autograd;

namespace Dendrite.Ops;

/// <summary>
/// Elementwise Huber loss of d = x − t: ½d² where |d| &lt; δ, else δ·(|d| − ½δ). Its derivative in x is d
/// clipped to [−δ, δ]; in t the negative of that.
/// </summary>
internal sealed class HuberLossOp : GradFn
{
    private double _delta;

    public override string Name => "HuberLossBackward";

    public static Tensor Apply(Tensor x, Tensor t, double delta)
    {
        var xc = x.Dense();
        var tc = t.Dense();
        var y = Tensor.AllocateLike(x, x.DType, false);
        if (x.DType == DType.Float32)
            Map<float>(xc.Span<float>(), tc.Span<float>(), default, y.Span<float>(), delta, grad: false);
        else
            Map<double>(xc.Span<double>(), tc.Span<double>(), default, y.Span<double>(), delta, grad: false);
        if (!ShouldRecord(x, t))
            return y;
        var fn = new HuberLossOp { _delta = delta };
        fn.Save(xc, tc);
        return Record(fn, y, x, t);
    }

    // grad false: y = loss(x − t). grad true: y = g·clip(x − t, −δ, δ).
    private static void Map<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, ReadOnlySpan<T> g, Span<T> y, double delta, bool grad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T dl = T.CreateTruncating(delta), half = T.CreateTruncating(0.5);
        for (int i = 0; i < y.Length; i++)
        {
            T d = x[i] - t[i];
            if (grad)
                y[i] = g[i] * T.Clamp(d, -dl, dl);
            else
            {
                T a = T.Abs(d);
                y[i] = a < dl ? half * d * d : dl * (a - half * dl);
            }
        }
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var x = Saved(0);
        var t = Saved(1);
        var g = gradOutput.Dense();
        var gx = Tensor.AllocateLike(x, x.DType, false);
        if (x.DType == DType.Float32)
            Map<float>(x.Span<float>(), t.Span<float>(), g.Span<float>(), gx.Span<float>(), _delta, grad: true);
        else
            Map<double>(x.Span<double>(), t.Span<double>(), g.Span<double>(), gx.Span<double>(), _delta, grad: true);
        return [NeedsGrad(0) ? gx : null, NeedsGrad(1) ? gx.Neg() : null];
    }
}

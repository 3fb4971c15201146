using Dendrite.Autograd;
using Dendrite.Backends;

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
        Dispatch.Backend("HuberLoss", x, t);
        var xc = x.Dense();
        var tc = t.Dense();
        var y = Tensor.AllocateLike(x, x.DType, false);
        x.Backend.HuberLoss(LossPart.Value, xc.Raw, tc.Raw, null, delta, y.Raw);
        if (!ShouldRecord(x, t))
            return y;
        var fn = new HuberLossOp { _delta = delta };
        fn.Save(xc, tc);
        return Record(fn, y, x, t);
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var x = Saved(0);
        var t = Saved(1);
        var g = gradOutput.Dense();
        var gx = Tensor.AllocateLike(x, x.DType, false);
        x.Backend.HuberLoss(LossPart.GradInput, x.Raw, t.Raw, g.Raw, _delta, gx.Raw);
        return [NeedsGrad(0) ? gx : null, NeedsGrad(1) ? gx.Neg() : null];
    }
}

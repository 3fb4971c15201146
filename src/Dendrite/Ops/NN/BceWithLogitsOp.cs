using Dendrite.Autograd;
using Dendrite.Backends;

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
        Dispatch.Backend("BinaryCrossEntropyWithLogits", x, t, posWeight);
        var xc = x.Dense();
        var tc = t.Dense();
        var pw = posWeight is null ? null : posWeight.Detach().Expand(x.ShapeArray).Dense();
        var y = Run(LossPart.Value, xc, tc, pw, null);
        if (!ShouldRecord(x, t, posWeight))
            return y;
        var fn = new BceWithLogitsOp { _posWeightShape = posWeight is null ? [] : posWeight.ShapeArray };
        if (pw is null)
            fn.Save(xc, tc);
        else
            fn.Save(xc, tc, pw);
        return Record(fn, y, x, t, posWeight);
    }

    private static Tensor Run(LossPart part, Tensor x, Tensor t, Tensor? pw, Tensor? g)
    {
        var r = Tensor.AllocateLike(x, x.DType, false);
        x.Backend.BceWithLogits(part, x.Raw, t.Raw, pw?.Raw, g?.Raw, r.Raw);
        return r;
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var x = Saved(0);
        var t = Saved(1);
        Tensor? pw = Inputs[2] is null ? null : Saved(2);
        var g = gradOutput.Dense();
        Tensor? gx = NeedsGrad(0) ? Run(LossPart.GradInput, x, t, pw, g) : null;
        Tensor? gt = NeedsGrad(1) ? Run(LossPart.GradTarget, x, t, pw, g) : null;
        Tensor? gpw = NeedsGrad(2) ? Dispatch.SumTo(Run(LossPart.GradPosWeight, x, t, pw, g), _posWeightShape) : null;
        return [gx, gt, gpw];
    }
}

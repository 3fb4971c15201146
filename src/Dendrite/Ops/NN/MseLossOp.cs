using Dendrite.Autograd;

namespace Dendrite.Ops;

/// <summary>
/// Mean squared error, mean((x − t)²), as one node: the forward keeps d = x − t, the backward is
/// ∂/∂x = (g/N)·2d and ∂/∂t = −∂/∂x. Same arithmetic, in the same order, as Sub → Square → Mean, without the three
/// intermediate nodes and their backward temporaries.
/// </summary>
internal sealed class MseLossOp : GradFn
{
    public override string Name => "MseLossBackward";

    /// <summary>mean((x − t)²) for same-shape, same-dtype floating tensors with at least one element.</summary>
    public static Tensor Apply(Tensor x, Tensor t)
    {
        var backend = Dispatch.Backend("MseLoss", x, t);
        var xc = x.Dense();
        var tc = t.Dense();
        var d = Tensor.AllocateLike(x, x.DType, false);
        var loss = Tensor.Allocate([], x.DType, false, backend);
        backend.MseLoss(xc.Raw, tc.Raw, d.Raw, loss.Raw);
        if (!ShouldRecord(x, t))
            return loss;
        var fn = new MseLossOp();
        fn.Save(d);
        return Record(fn, loss, x, t);
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var d = Saved(0);
        var gx = Tensor.AllocateLike(d, d.DType, false);
        // g stays on the device: the kernel reads it there.
        var g = (gradOutput.DType == d.DType ? gradOutput : gradOutput.To(d.DType)).Dense();
        d.Backend.MseLossBackward(d.Raw, g.Raw, gx.Raw);
        return [NeedsGrad(0) ? gx : null, NeedsGrad(1) ? gx.Neg() : null];
    }
}

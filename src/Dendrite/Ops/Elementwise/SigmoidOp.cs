using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Sigmoid elementwise. // σ' = σ(1 − σ)</summary>
internal sealed class SigmoidOp : GradFn
{
    public override string Name => "SigmoidBackward";

    public static Tensor Apply(Tensor x)
    {
        var y = Dispatch.Unary(x, UnaryOp.Sigmoid, "Sigmoid");
        if (OpTrace.IsActive)
            OpTrace.Record("Sigmoid", y, x);
        if (!ShouldRecord(x))
            return y;
        var fn = new SigmoidOp();
        fn.Save(y);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var s = Saved(0);
        return [Dispatch.UnaryBackward(g, s, UnaryOp.Sigmoid, "SigmoidBackward")];
    }
}

using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Relu elementwise. // gradient 1 where the output is positive, else 0 (0 at x = 0, as PyTorch)</summary>
internal sealed class ReluOp : GradFn
{
    public override string Name => "ReluBackward";

    public static Tensor Apply(Tensor x)
    {
        var y = Dispatch.Unary(x, UnaryOp.Relu, "Relu");
        if (OpTrace.IsActive)
            OpTrace.Record("Relu", y, x);
        if (!ShouldRecord(x))
            return y;
        var fn = new ReluOp();
        fn.Save(y);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var s = Saved(0);
        return [Dispatch.UnaryBackward(g, s, UnaryOp.Relu, "ReluBackward")];
    }
}

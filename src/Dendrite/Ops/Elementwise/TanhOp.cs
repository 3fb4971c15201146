using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Tanh elementwise. // tanh' = 1 − tanh²</summary>
internal sealed class TanhOp : GradFn
{
    public override string Name => "TanhBackward";

    public static Tensor Apply(Tensor x)
    {
        var y = Dispatch.Unary(x, UnaryOp.Tanh, "Tanh");
        if (OpTrace.IsActive)
            OpTrace.Record("Tanh", y, x);
        if (!ShouldRecord(x))
            return y;
        var fn = new TanhOp();
        fn.Save(y);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var s = Saved(0);
        return [Dispatch.UnaryBackward(g, s, UnaryOp.Tanh, "TanhBackward")];
    }
}

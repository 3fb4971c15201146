using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Abs elementwise. // d/dx |x| = sign(x), with sign(0) = 0</summary>
internal sealed class AbsOp : GradFn
{
    public override string Name => "AbsBackward";

    public static Tensor Apply(Tensor x)
    {
        var y = Dispatch.Unary(x, UnaryOp.Abs, "Abs");
        if (OpTrace.IsActive)
            OpTrace.Record("Abs", y, x);
        if (!ShouldRecord(x))
            return y;
        var fn = new AbsOp();
        fn.Save(x);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var s = Saved(0);
        return [Dispatch.UnaryBackward(g, s, UnaryOp.Abs, "AbsBackward")];
    }
}

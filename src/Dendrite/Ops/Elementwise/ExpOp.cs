using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Exp elementwise. // d/dx eˣ = eˣ (the saved output)</summary>
internal sealed class ExpOp : GradFn
{
    public override string Name => "ExpBackward";

    public static Tensor Apply(Tensor x)
    {
        var y = Dispatch.Unary(x, UnaryOp.Exp, "Exp");
        if (OpTrace.IsActive)
            OpTrace.Record("Exp", y, x);
        if (!ShouldRecord(x))
            return y;
        var fn = new ExpOp();
        fn.Save(y);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var s = Saved(0);
        return [g.Mul(s)];
    }
}

using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Square elementwise. // d/dx x² = 2x</summary>
internal sealed class SquareOp : GradFn
{
    public override string Name => "SquareBackward";

    public static Tensor Apply(Tensor x)
    {
        var y = Dispatch.Unary(x, UnaryOp.Square, "Square");
        if (OpTrace.IsActive)
            OpTrace.Record("Square", y, x);
        if (!ShouldRecord(x))
            return y;
        var fn = new SquareOp();
        fn.Save(x);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var s = Saved(0);
        return [g.Mul(s.Mul(2.0))];
    }
}

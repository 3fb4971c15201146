using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>a·b with broadcasting; d/da = g·b, d/db = g·a.</summary>
internal sealed class MulFn : GradFn
{
    public override string Name => "MulBackward";

    public static Tensor Apply(Tensor a, Tensor b)
    {
        var y = Dispatch.Binary(a, b, BinaryKind.Mul, "Mul");
        if (OpTrace.IsActive)
            OpTrace.Record("Mul", y, a, b);
        if (!ShouldRecord(a, b))
            return y;
        var fn = new MulFn();
        fn.Save(a, b);
        return Record(fn, y, a, b);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var a = Saved(0);
        var b = Saved(1);
        return [NeedsGrad(0) ? Dispatch.SumTo(g.Mul(b), a.ShapeArray) : null,
                NeedsGrad(1) ? Dispatch.SumTo(g.Mul(a), b.ShapeArray) : null];
    }
}

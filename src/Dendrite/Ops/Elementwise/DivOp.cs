using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>a / b with broadcasting; d/da = g/b, d/db = −g·a/b².</summary>
internal sealed class DivFn : GradFn
{
    public override string Name => "DivBackward";

    public static Tensor Apply(Tensor a, Tensor b)
    {
        var y = Dispatch.Binary(a, b, BinaryKind.Div, "Div");
        if (OpTrace.IsActive)
            OpTrace.Record("Div", y, a, b);
        if (!ShouldRecord(a, b))
            return y;
        var fn = new DivFn();
        fn.Save(a, b);
        return Record(fn, y, a, b);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var a = Saved(0);
        var b = Saved(1);
        var gOverB = g.Div(b);
        return [NeedsGrad(0) ? Dispatch.SumTo(gOverB, a.ShapeArray) : null,
                NeedsGrad(1) ? Dispatch.SumTo(gOverB.Mul(a).Div(b).Neg(), b.ShapeArray) : null];
    }
}

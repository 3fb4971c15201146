using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Sqrt elementwise. // d/dx √x = 1/(2√x)</summary>
internal sealed class SqrtOp : GradFn
{
    public override string Name => "SqrtBackward";

    public static Tensor Apply(Tensor x)
    {
        var y = Dispatch.Unary(x, UnaryOp.Sqrt, "Sqrt");
        if (OpTrace.IsActive)
            OpTrace.Record("Sqrt", y, x);
        if (!ShouldRecord(x))
            return y;
        var fn = new SqrtOp();
        fn.Save(y);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var s = Saved(0);
        return [g.Div(s.Mul(2.0))];
    }
}

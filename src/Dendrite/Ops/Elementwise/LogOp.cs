using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Log elementwise. // d/dx ln x = 1/x</summary>
internal sealed class LogOp : GradFn
{
    public override string Name => "LogBackward";

    public static Tensor Apply(Tensor x)
    {
        var y = Dispatch.Unary(x, UnaryOp.Log, "Log");
        if (OpTrace.IsActive)
            OpTrace.Record("Log", y, x);
        if (!ShouldRecord(x))
            return y;
        var fn = new LogOp();
        fn.Save(x);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var s = Saved(0);
        return [g.Div(s)];
    }
}

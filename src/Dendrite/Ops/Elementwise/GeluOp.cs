using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Gelu elementwise. // exact (erf) form; gelu' = Φ(x) + x·φ(x)</summary>
internal sealed class GeluOp : GradFn
{
    public override string Name => "GeluBackward";

    public static Tensor Apply(Tensor x)
    {
        var y = Dispatch.Unary(x, UnaryOp.Gelu, "Gelu");
        if (OpTrace.IsActive)
            OpTrace.Record("Gelu", y, x);
        if (!ShouldRecord(x))
            return y;
        var fn = new GeluOp();
        fn.Save(x);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var s = Saved(0);
        return [Dispatch.UnaryBackward(g, s, UnaryOp.Gelu, "GeluBackward")];
    }
}

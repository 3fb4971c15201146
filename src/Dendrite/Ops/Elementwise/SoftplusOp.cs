using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Softplus elementwise. // beta 1, threshold 20; softplus' = σ(x) below the threshold, 1 above</summary>
internal sealed class SoftplusOp : GradFn
{
    public override string Name => "SoftplusBackward";

    public static Tensor Apply(Tensor x)
    {
        var y = Dispatch.Unary(x, UnaryOp.Softplus, "Softplus");
        if (OpTrace.IsActive)
            OpTrace.Record("Softplus", y, x);
        if (!ShouldRecord(x))
            return y;
        var fn = new SoftplusOp();
        fn.Save(x);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var s = Saved(0);
        return [Dispatch.UnaryBackward(g, s, UnaryOp.Softplus, "SoftplusBackward")];
    }
}

using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>x for x &gt; 0, α(eˣ − 1) otherwise; for x ≤ 0 the gradient is y + α.</summary>
internal sealed class EluOp : GradFn
{
    private double _alpha;

    public override string Name => "EluBackward";

    public static Tensor Apply(Tensor x, double alpha)
    {
        var y = Dispatch.Unary(x, new UnaryOp(UnaryKind.Elu, alpha), "Elu");
        if (OpTrace.IsActive)
            OpTrace.Record("Elu", y, x).With("alpha", alpha);
        if (!ShouldRecord(x))
            return y;
        var fn = new EluOp { _alpha = alpha };
        fn.Save(x);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [Dispatch.UnaryBackward(g, Saved(0), new UnaryOp(UnaryKind.Elu, _alpha), "EluBackward")];
}

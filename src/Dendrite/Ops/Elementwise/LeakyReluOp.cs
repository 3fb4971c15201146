using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>x for x &gt; 0, slope·x otherwise; the gradient is 1 or slope.</summary>
internal sealed class LeakyReluOp : GradFn
{
    private double _slope;

    public override string Name => "LeakyReluBackward";

    public static Tensor Apply(Tensor x, double slope)
    {
        var y = Dispatch.Unary(x, new UnaryOp(UnaryKind.LeakyRelu, slope), "LeakyRelu");
        if (OpTrace.IsActive)
            OpTrace.Record("LeakyRelu", y, x).With("negativeSlope", slope);
        if (!ShouldRecord(x))
            return y;
        var fn = new LeakyReluOp { _slope = slope };
        fn.Save(x);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [Dispatch.UnaryBackward(g, Saved(0), new UnaryOp(UnaryKind.LeakyRelu, _slope), "LeakyReluBackward")];
}

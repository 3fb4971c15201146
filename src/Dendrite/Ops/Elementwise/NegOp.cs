using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>−x elementwise.</summary>
internal sealed class NegOp : GradFn
{
    public override string Name => "NegBackward";

    public static Tensor Apply(Tensor x)
    {
        var y = Dispatch.Unary(x, UnaryOp.Neg, "Neg");
        if (OpTrace.IsActive)
            OpTrace.Record("Neg", y, x);
        return ShouldRecord(x) ? Record(new NegOp(), y, x) : y;
    }

    protected internal override Tensor?[] Backward(Tensor g) => [g.Neg()];
}

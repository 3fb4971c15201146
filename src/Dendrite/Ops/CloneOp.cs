using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>A dense copy; the gradient passes through unchanged.</summary>
internal sealed class CloneOp : GradFn
{
    public override string Name => "CloneBackward";

    public static Tensor Apply(Tensor x)
    {
        var y = x.CopyDense();
        if (OpTrace.IsActive)
            OpTrace.Record("Clone", y, x);
        return ShouldRecord(x) ? Record(new CloneOp(), y, x) : y;
    }

    protected internal override Tensor?[] Backward(Tensor g) => [g];
}

using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// A copy of x with <c>value</c> where the (broadcast) mask is true. The gradient passes to x where the mask is
/// false and is 0 where it is true (those outputs no longer depend on x).
/// </summary>
internal sealed class MaskedFillOp : GradFn
{
    public override string Name => "MaskedFillBackward";

    public static Tensor Apply(Tensor x, Tensor mask, double value)
    {
        if (mask.DType != DType.Bool)
            throw new ArgumentException($"MaskedFill: the mask must be a Bool tensor, got {mask.DType}.");
        var shape = ShapeUtil.Broadcast(x.ShapeArray, mask.ShapeArray, "MaskedFill");
        if (!ShapeUtil.SameShape(shape, x.ShapeArray))
            throw new ArgumentException($"MaskedFill: the mask of shape {ShapeUtil.Format(mask.ShapeArray)} must broadcast to the tensor's shape {ShapeUtil.Format(x.ShapeArray)}.");
        Dispatch.Backend("MaskedFill", x, mask);
        var y = Fill(x, mask, value);
        if (OpTrace.IsActive)
            OpTrace.Record("MaskedFill", y, x, mask).With("value", value);
        if (!ShouldRecord(x))
            return y;
        var fn = new MaskedFillOp();
        fn.Save(mask);
        return Record(fn, y, x);
    }

    private static Tensor Fill(Tensor x, Tensor mask, double value)
    {
        var y = Tensor.AllocateLike(x, x.DType, false);
        WhereOp.Select(mask, Tensor.Scalar(value, x.DType, x.Backend), x, y);
        return y;
    }

    protected internal override Tensor?[] Backward(Tensor g) => [Fill(g, Saved(0), 0)];
}

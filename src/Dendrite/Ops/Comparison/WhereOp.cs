using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// out = condition ? x : y with broadcasting of all three. Gradients: g where the condition holds goes to x, the
/// rest to y, each summed back to its operand's shape.
/// </summary>
internal sealed class WhereOp : GradFn
{
    private int[] _xShape = [], _yShape = [];
    private DType _xType, _yType;

    public override string Name => "WhereBackward";

    public static Tensor Apply(Tensor condition, Tensor x, Tensor y)
    {
        if (condition.DType != DType.Bool)
            throw new ArgumentException($"Where: the condition must be a Bool tensor, got {condition.DType}; build it with a comparison such as x.Gt(0).");
        Dispatch.Backend("Where", condition, x, y);
        var dt = DTypeExtensions.Promote(x.DType, y.DType);
        var xs = x.DType == dt ? x : ConvertOp.Apply(x.Detach(), dt);
        var ys = y.DType == dt ? y : ConvertOp.Apply(y.Detach(), dt);
        var shape = ShapeUtil.Broadcast(ShapeUtil.Broadcast(condition.ShapeArray, x.ShapeArray, "Where"), y.ShapeArray, "Where");
        var outShape = ReferenceEquals(shape, condition.ShapeArray) || ReferenceEquals(shape, x.ShapeArray) ? (int[])shape.Clone() : shape;
        var result = Tensor.Allocate(outShape, dt, false, condition.Backend);
        Select(condition, xs, ys, result);
        if (OpTrace.IsActive)
            OpTrace.Record("Where", result, condition, x, y);
        if (!ShouldRecord(x, y) || !dt.IsFloatingPoint())
            return result;
        var fn = new WhereOp { _xShape = x.ShapeArray, _yShape = y.ShapeArray, _xType = x.DType, _yType = y.DType };
        fn.Save(condition);
        return Record(fn, result, x, y);
    }

    /// <summary>Writes condition ? x : y (all broadcast to <paramref name="dst"/>'s shape and on its device, x and y of its dtype) into dense <paramref name="dst"/>.</summary>
    internal static void Select(Tensor condition, Tensor x, Tensor y, Tensor dst) => dst.Backend.Where(condition.Raw, x.Raw, y.Raw, dst.Raw);

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var c = Saved(0);
        var zero = Tensor.Scalar(0, g.DType, g.Backend);
        Tensor? gx = null, gy = null;
        if (NeedsGrad(0))
            gx = Dispatch.SumTo(Apply(c, g, zero), _xShape).To(_xType);
        if (NeedsGrad(1))
            gy = Dispatch.SumTo(Apply(c, zero, g), _yShape).To(_yType);
        return [gx, gy];
    }
}

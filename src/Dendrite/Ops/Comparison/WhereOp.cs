using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

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
        var dt = DTypeExtensions.Promote(x.DType, y.DType);
        var xs = x.DType == dt ? x : ConvertOp.Apply(x.Detach(), dt);
        var ys = y.DType == dt ? y : ConvertOp.Apply(y.Detach(), dt);
        var shape = ShapeUtil.Broadcast(ShapeUtil.Broadcast(condition.ShapeArray, x.ShapeArray, "Where"), y.ShapeArray, "Where");
        var outShape = ReferenceEquals(shape, condition.ShapeArray) || ReferenceEquals(shape, x.ShapeArray) ? (int[])shape.Clone() : shape;
        var result = Tensor.Allocate(outShape, dt, false);
        Select(condition, xs, ys, result);
        if (!ShouldRecord(x, y) || !dt.IsFloatingPoint())
            return result;
        var fn = new WhereOp { _xShape = x.ShapeArray, _yShape = y.ShapeArray, _xType = x.DType, _yType = y.DType };
        fn.Save(condition);
        return Record(fn, result, x, y);
    }

    /// <summary>Writes condition ? x : y (all broadcast to <paramref name="dst"/>'s shape, x and y of its dtype) into dense <paramref name="dst"/>.</summary>
    internal static void Select(Tensor condition, Tensor x, Tensor y, Tensor dst)
    {
        switch (dst.DType)
        {
            case DType.Float32: Select<float>(condition, x, y, dst); break;
            case DType.Float64: Select<double>(condition, x, y, dst); break;
            case DType.Int64: Select<long>(condition, x, y, dst); break;
            default: Select<bool>(condition, x, y, dst); break;
        }
    }

    private static void Select<T>(Tensor c, Tensor x, Tensor y, Tensor dst) where T : unmanaged
    {
        var shape = dst.ShapeArray;
        var d = dst.Span<T>();
        // Fast path: dense same-shape condition and x, scalar or dense y (masked fill, ReLU-like masks).
        if (c.IsContiguous && x.IsContiguous && c.Numel == d.Length && x.Numel == d.Length && y.IsContiguous && (y.Numel == 1 || y.Numel == d.Length))
        {
            var cs = c.Span<bool>();
            var xs = x.Span<T>();
            if (y.Numel == 1 && d.Length != 1)
            {
                T yv = y.Array<T>()[y.Offset];
                for (int i = 0; i < d.Length; i++)
                    d[i] = cs[i] ? xs[i] : yv;
            }
            else
            {
                var ys = y.Span<T>();
                for (int i = 0; i < d.Length; i++)
                    d[i] = cs[i] ? xs[i] : ys[i];
            }
            return;
        }
        CompareKernel.Where(shape,
            c.Array<bool>(), c.Offset, ShapeUtil.BroadcastStrides(c.ShapeArray, c.StrideArray, shape),
            x.Array<T>(), x.Offset, ShapeUtil.BroadcastStrides(x.ShapeArray, x.StrideArray, shape),
            y.Array<T>(), y.Offset, ShapeUtil.BroadcastStrides(y.ShapeArray, y.StrideArray, shape),
            d);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var c = Saved(0);
        var zero = Tensor.Scalar(0, g.DType);
        Tensor? gx = null, gy = null;
        if (NeedsGrad(0))
            gx = Dispatch.SumTo(Apply(c, g, zero), _xShape).To(_xType);
        if (NeedsGrad(1))
            gy = Dispatch.SumTo(Apply(c, zero, g), _yShape).To(_yType);
        return [gx, gy];
    }
}

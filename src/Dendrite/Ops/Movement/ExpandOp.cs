using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Broadcasts size-1 dims to a larger shape as a view (stride 0); the gradient is summed back.</summary>
internal sealed class ExpandOp : GradFn
{
    private int[] _inputShape = [];

    public override string Name => "ExpandBackward";

    public static Tensor Apply(Tensor x, ReadOnlySpan<int> shape)
    {
        int rank = shape.Length;
        if (rank < x.Rank)
            throw new ArgumentException($"Expand: the target shape {ShapeUtil.Format(shape)} has fewer dimensions than the tensor's shape {ShapeUtil.Format(x.ShapeArray)}.");
        var newShape = new int[rank];
        var strides = new int[rank];
        int shift = rank - x.Rank;
        for (int i = 0; i < rank; i++)
        {
            int target = shape[i];
            if (i < shift)
            {
                if (target < 0)
                    throw new ArgumentException($"Expand: -1 is not allowed for a new leading dimension (target {ShapeUtil.Format(shape)}).");
                newShape[i] = target;
                strides[i] = 0;
                continue;
            }
            int size = x.ShapeArray[i - shift];
            if (target == -1 || target == size)
            {
                newShape[i] = size;
                strides[i] = x.StrideArray[i - shift];
            }
            else if (size == 1)
            {
                newShape[i] = target;
                strides[i] = 0;
            }
            else
                throw new ArgumentException($"Expand: the expanded size ({target}) must match the existing size ({size}) at non-singleton dimension {i}; target shape {ShapeUtil.Format(shape)}, tensor shape {ShapeUtil.Format(x.ShapeArray)}.");
        }
        if (ShapeUtil.SameShape(newShape, x.ShapeArray))
            return x;
        var y = new Tensor(x.Storage, newShape, strides, x.Offset);
        if (OpTrace.IsActive)
            OpTrace.Record("Expand", y, x).With("shape", newShape);
        return ShouldRecord(x) ? Record(new ExpandOp { _inputShape = x.ShapeArray }, y, x) : y;
    }

    protected internal override Tensor?[] Backward(Tensor g) => [Dispatch.SumTo(g, _inputShape)];
}

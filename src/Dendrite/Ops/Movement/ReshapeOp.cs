using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Reshape: a view of contiguous data (a copy otherwise); the gradient is reshaped back.</summary>
internal sealed class ReshapeOp : GradFn
{
    private int[] _inputShape = [];

    public override string Name => "ReshapeBackward";

    public static Tensor Apply(Tensor x, ReadOnlySpan<int> shape, bool viewOnly, string op = "Reshape")
    {
        var newShape = InferShape(x, shape, op);
        if (ShapeUtil.SameShape(newShape, x.ShapeArray) && x.IsContiguous)
            return x;
        Tensor y;
        if (x.IsContiguous)
            y = new Tensor(x.Storage, newShape, ShapeUtil.ContiguousStrides(newShape), x.Offset);
        else if (viewOnly)
            throw new InvalidOperationException($"{op}: the tensor of shape {ShapeUtil.Format(x.ShapeArray)} is not contiguous, so it cannot be viewed as {ShapeUtil.Format(newShape)}; use Reshape (which copies) or call Contiguous() first.");
        else
        {
            var dense = x.CopyDense();
            y = new Tensor(dense.Storage, newShape);
        }
        if (OpTrace.IsActive)
            OpTrace.Record("Reshape", y, x).With("shape", newShape);
        return ShouldRecord(x) ? Record(new ReshapeOp { _inputShape = x.ShapeArray }, y, x) : y;
    }

    protected internal override Tensor?[] Backward(Tensor g) => [g.Reshape(_inputShape)];

    /// <summary>Resolves one −1 and checks the element count.</summary>
    internal static int[] InferShape(Tensor x, ReadOnlySpan<int> shape, string op)
    {
        var result = shape.ToArray();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] == -1)
            {
                if (infer >= 0)
                    throw new ArgumentException($"{op}: only one dimension can be inferred (-1), got shape {ShapeUtil.Format(result)}.");
                infer = i;
            }
            else if (result[i] < 0)
                throw new ArgumentException($"{op}: invalid size {result[i]} in shape {ShapeUtil.Format(result)}.");
            else
                known *= result[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || x.Numel % known != 0)
                throw new ArgumentException($"{op}: shape {ShapeUtil.Format(result)} is invalid for input of size {x.Numel} (shape {ShapeUtil.Format(x.ShapeArray)}).");
            result[infer] = (int)(x.Numel / known);
        }
        else if (known != x.Numel)
            throw new ArgumentException($"{op}: shape {ShapeUtil.Format(result)} is invalid for input of size {x.Numel} (shape {ShapeUtil.Format(x.ShapeArray)}).");
        return result;
    }
}

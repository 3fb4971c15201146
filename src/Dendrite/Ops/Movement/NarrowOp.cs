using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// A view of <c>length</c> entries of one dim from <c>start</c> (with <c>index</c> mode, one entry with the dim
/// removed). The gradient is scattered into zeros of the input's shape.
/// </summary>
internal sealed class NarrowOp : GradFn
{
    private int[] _inputShape = [];
    private int _dim, _start, _length;
    private bool _select;

    public override string Name => _select ? "SelectBackward" : "NarrowBackward";

    public static Tensor Narrow(Tensor x, int dim, int start, int length)
    {
        int d = ShapeUtil.NormalizeDim(dim, x.Rank, "Narrow");
        int size = x.ShapeArray[d];
        if (start < 0)
            start += size;
        if (start < 0 || length < 0 || start + length > size)
            throw new ArgumentOutOfRangeException(nameof(start), $"Narrow: start ({start}) + length ({length}) exceeds dimension {d} of size {size} (shape {ShapeUtil.Format(x.ShapeArray)}).");
        var shape = (int[])x.ShapeArray.Clone();
        shape[d] = length;
        var y = new Tensor(x.Storage, shape, x.StrideArray, x.Offset + start * x.StrideArray[d]);
        if (OpTrace.IsActive)
            OpTrace.Record("Narrow", y, x).With("dim", d).With("start", start).With("length", length);
        return ShouldRecord(x) ? Record(new NarrowOp { _inputShape = x.ShapeArray, _dim = d, _start = start, _length = length }, y, x) : y;
    }

    public static Tensor Select(Tensor x, int dim, int index)
    {
        if (x.Rank == 0)
            throw new ArgumentException("Select: cannot index a 0-d tensor.");
        int d = ShapeUtil.NormalizeDim(dim, x.Rank, "Select");
        int size = x.ShapeArray[d];
        if (index < -size || index >= size)
            throw new ArgumentOutOfRangeException(nameof(index), $"Select: index {index} is out of bounds for dimension {d} with size {size} (shape {ShapeUtil.Format(x.ShapeArray)}).");
        if (index < 0)
            index += size;
        var shape = new int[x.Rank - 1];
        var strides = new int[x.Rank - 1];
        for (int i = 0, j = 0; i < x.Rank; i++)
        {
            if (i == d)
                continue;
            shape[j] = x.ShapeArray[i];
            strides[j++] = x.StrideArray[i];
        }
        var y = new Tensor(x.Storage, shape, strides, x.Offset + index * x.StrideArray[d]);
        if (OpTrace.IsActive)
            OpTrace.Record("Select", y, x).With("dim", d).With("index", index);
        return ShouldRecord(x) ? Record(new NarrowOp { _inputShape = x.ShapeArray, _dim = d, _start = index, _length = 1, _select = true }, y, x) : y;
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var full = Tensor.Allocate(_inputShape, g.DType, true, g.Backend);
        var target = full.Narrow(_dim, _start, _length);
        target.CopyFromUnchecked(_select ? g.Unsqueeze(_dim) : g);
        return [full];
    }
}

using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// Concatenation along an existing dim (operands promoted to a common dtype). The gradient of each input is the
/// matching slice of the output gradient.
/// </summary>
internal sealed class CatOp : GradFn
{
    private int _dim;
    private int[] _starts = [];
    private int[] _sizes = [];
    private DType[] _dtypes = [];

    public override string Name => "CatBackward";

    public static Tensor Apply(IReadOnlyList<Tensor> tensors, int dim)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        int count = tensors.Count;
        if (count == 0)
            throw new ArgumentException("Cat: expected a non-empty list of tensors.");
        var inputs = new Tensor[count];
        for (int i = 0; i < count; i++)
            inputs[i] = tensors[i] ?? throw new ArgumentNullException(nameof(tensors), $"Cat: tensor {i} is null.");
        var first = inputs[0];
        int rank = first.Rank;
        if (rank == 0)
            throw new ArgumentException("Cat: zero-dimensional tensors cannot be concatenated; use Stack, or Unsqueeze them first.");
        int d = ShapeUtil.NormalizeDim(dim, rank, "Cat");
        var dt = first.DType;
        var starts = new int[count];
        var sizes = new int[count];
        int total = 0;
        for (int i = 0; i < count; i++)
        {
            var t = inputs[i];
            if (t.Rank != rank)
                throw new ArgumentException($"Cat: tensors must have the same number of dimensions, but tensor 0 has shape {ShapeUtil.Format(first.ShapeArray)} and tensor {i} has shape {ShapeUtil.Format(t.ShapeArray)}.");
            for (int k = 0; k < rank; k++)
                if (k != d && t.ShapeArray[k] != first.ShapeArray[k])
                    throw new ArgumentException($"Cat: sizes must match except in dimension {d}, but tensor 0 has shape {ShapeUtil.Format(first.ShapeArray)} and tensor {i} has shape {ShapeUtil.Format(t.ShapeArray)} (they differ at dimension {k}).");
            dt = DTypeExtensions.Promote(dt, t.DType);
            starts[i] = total;
            sizes[i] = t.ShapeArray[d];
            total += sizes[i];
        }
        var outShape = (int[])first.ShapeArray.Clone();
        outShape[d] = total;
        var backend = Dispatch.Backend("Cat", inputs);
        var y = Tensor.Allocate(outShape, dt, false, backend);
        for (int i = 0; i < count; i++)
        {
            var src = inputs[i].DType == dt ? inputs[i] : ConvertOp.Apply(inputs[i].Detach(), dt);
            // Each input lands in its slice of the output along dim d.
            var slice = new StorageView(y.Storage, src.ShapeArray, y.StrideArray, starts[i] * y.StrideArray[d]);
            backend.Copy(src.Raw, slice);
        }
        if (OpTrace.IsActive)
            OpTrace.Record("Cat", y, inputs).With("dim", d);
        if (!dt.IsFloatingPoint() || !ShouldRecord(inputs))
            return y;
        var dtypes = new DType[count];
        for (int i = 0; i < count; i++)
            dtypes[i] = inputs[i].DType;
        var fn = new CatOp { _dim = d, _starts = starts, _sizes = sizes, _dtypes = dtypes };
        return Record(fn, y, inputs);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var grads = new Tensor?[_starts.Length];
        for (int i = 0; i < grads.Length; i++)
        {
            if (!NeedsGrad(i))
                continue;
            var slice = g.Narrow(_dim, _starts[i], _sizes[i]);
            grads[i] = slice.DType == _dtypes[i] ? slice : slice.To(_dtypes[i]);
        }
        return grads;
    }
}

using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// Entries of one dim picked by a 1-D Int64 index (like <c>torch.index_select</c>); along dim 0 of a contiguous
/// tensor this is one row copy per index. Backward index-adds the gradient rows into zeros of the input's shape.
/// </summary>
internal sealed class IndexSelectOp : GradFn
{
    private int[] _inputShape = [];
    private int _dim;

    public override string Name => "IndexSelectBackward";

    public static Tensor Apply(Tensor x, int dim, Tensor index)
    {
        if (index.DType != DType.Int64)
            throw new ArgumentException($"IndexSelect: the index must be an Int64 tensor, got {index.DType}.");
        if (index.Rank > 1)
            throw new ArgumentException($"IndexSelect: the index must be 1-D, got shape {ShapeUtil.Format(index.ShapeArray)}.");
        if (x.Rank == 0)
            return Apply(x.Reshape(1), dim, index).Reshape(index.Rank == 0 ? [] : [index.Numel]);
        int d = ShapeUtil.NormalizeDim(dim, x.Rank, "IndexSelect");
        var backend = Dispatch.Backend("IndexSelect", x, index);
        var idx = index.Dense();
        CheckRange(idx, x.ShapeArray[d], d, "IndexSelect");
        var src = x.Dense();
        var (outer, size, inner) = Reduce.Split(x.ShapeArray, d);
        var outShape = (int[])x.ShapeArray.Clone();
        outShape[d] = idx.Numel;
        var y = Tensor.Allocate(outShape, x.DType, false, backend);
        backend.IndexSelect(src.Raw, outer, size, inner, idx.Raw, y.Raw);
        if (OpTrace.IsActive)
            OpTrace.Record("IndexSelect", y, x, index).With("dim", d);
        if (!ShouldRecord(x))
            return y;
        var fn = new IndexSelectOp { _inputShape = x.ShapeArray, _dim = d };
        fn.Save(idx);
        return Record(fn, y, x);
    }

    /// <summary>Throws naming the first index outside [0, size).</summary>
    internal static void CheckRange(Tensor indices, int size, int dim, string op)
    {
        if (indices.Backend.FindOutOfRange(indices.Raw, size) is var (i, v))
            throw new ArgumentOutOfRangeException(nameof(indices), $"{op}: index {v} is out of bounds for dimension {dim} with size {size} (at position {i} of the index).");
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var idx = Saved(0);
        var gd = g.Dense();
        var (outer, size, inner) = Reduce.Split(_inputShape, _dim);
        var gx = Tensor.Allocate(_inputShape, g.DType, true, g.Backend);
        g.Backend.IndexAdd(gd.Raw, outer, size, inner, idx.Raw, gx.Raw);
        return [gx];
    }
}

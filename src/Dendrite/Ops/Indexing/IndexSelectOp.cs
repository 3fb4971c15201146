using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

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
        var idx = index.IsContiguous ? index : index.CopyDense();
        var indices = idx.Span<long>();
        CheckRange(indices, x.ShapeArray[d], d, "IndexSelect");
        var src = x.IsContiguous ? x : x.CopyDense();
        var (outer, size, inner) = Reduce.Split(x.ShapeArray, d);
        var outShape = (int[])x.ShapeArray.Clone();
        outShape[d] = indices.Length;
        var y = Tensor.Allocate(outShape, x.DType, false);
        switch (x.DType)
        {
            case DType.Float32: IndexKernel.IndexSelect(src.Span<float>(), outer, size, inner, indices, y.Span<float>()); break;
            case DType.Float64: IndexKernel.IndexSelect(src.Span<double>(), outer, size, inner, indices, y.Span<double>()); break;
            case DType.Int64: IndexKernel.IndexSelect(src.Span<long>(), outer, size, inner, indices, y.Span<long>()); break;
            default: IndexKernel.IndexSelect(src.Span<bool>(), outer, size, inner, indices, y.Span<bool>()); break;
        }
        if (!ShouldRecord(x))
            return y;
        var fn = new IndexSelectOp { _inputShape = x.ShapeArray, _dim = d };
        fn.Save(idx);
        return Record(fn, y, x);
    }

    /// <summary>Throws naming the first index outside [0, size).</summary>
    internal static void CheckRange(ReadOnlySpan<long> indices, int size, int dim, string op)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            long v = indices[i];
            if ((ulong)v >= (ulong)size)
                throw new ArgumentOutOfRangeException(nameof(indices), $"{op}: index {v} is out of bounds for dimension {dim} with size {size} (at position {i} of the index).");
        }
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var idx = Saved(0);
        var gd = g.IsContiguous ? g : g.CopyDense();
        var (outer, size, inner) = Reduce.Split(_inputShape, _dim);
        var gx = Tensor.Zeros(_inputShape, g.DType);
        if (g.DType == DType.Float32)
            IndexKernel.IndexAdd(gd.Span<float>(), outer, size, inner, idx.Span<long>(), gx.Span<float>());
        else
            IndexKernel.IndexAdd(gd.Span<double>(), outer, size, inner, idx.Span<long>(), gx.Span<double>());
        return [gx];
    }
}

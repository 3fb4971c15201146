using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

namespace Dendrite.Ops;

/// <summary>
/// torch.gather: out[i][j][k] = x[index[i][j][k]][j][k] for dim 0 (likewise for other dims); the output has the
/// index's shape. Backward scatter-adds the gradient into zeros of x's shape (repeated indices accumulate).
/// </summary>
internal sealed class GatherOp : GradFn
{
    private int[] _inputShape = [];
    private int _dim;

    public override string Name => "GatherBackward";

    public static Tensor Apply(Tensor x, int dim, Tensor index)
    {
        if (index.DType != DType.Int64)
            throw new ArgumentException($"Gather: the index must be an Int64 tensor, got {index.DType}.");
        if (x.Rank == 0 && index.Rank == 0)
            return Apply(x.Reshape(1), dim, index.Reshape(1)).Reshape([]);
        if (index.Rank != x.Rank)
            throw new ArgumentException($"Gather: the index must have as many dimensions as the input, but the input has shape {ShapeUtil.Format(x.ShapeArray)} and the index {ShapeUtil.Format(index.ShapeArray)}.");
        int d = ShapeUtil.NormalizeDim(dim, x.Rank, "Gather");
        for (int k = 0; k < x.Rank; k++)
            if (k != d && index.ShapeArray[k] > x.ShapeArray[k])
                throw new ArgumentException($"Gather: index shape {ShapeUtil.Format(index.ShapeArray)} is larger than the input shape {ShapeUtil.Format(x.ShapeArray)} at dimension {k} (only dimension {d} may be larger).");
        var idx = index.IsContiguous ? index : index.CopyDense();
        IndexSelectOp.CheckRange(idx.Span<long>(), x.ShapeArray[d], d, "Gather");
        var y = Tensor.AllocateLike(index, x.DType, false);
        var shape = idx.ShapeArray;
        switch (x.DType)
        {
            case DType.Float32: IndexKernel.Gather(x.Array<float>(), x.Offset, x.StrideArray, idx.Span<long>(), shape, d, y.Span<float>()); break;
            case DType.Float64: IndexKernel.Gather(x.Array<double>(), x.Offset, x.StrideArray, idx.Span<long>(), shape, d, y.Span<double>()); break;
            case DType.Int64: IndexKernel.Gather(x.Array<long>(), x.Offset, x.StrideArray, idx.Span<long>(), shape, d, y.Span<long>()); break;
            default: IndexKernel.Gather(x.Array<bool>(), x.Offset, x.StrideArray, idx.Span<long>(), shape, d, y.Span<bool>()); break;
        }
        if (!ShouldRecord(x))
            return y;
        var fn = new GatherOp { _inputShape = x.ShapeArray, _dim = d };
        fn.Save(idx);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var idx = Saved(0);
        var gd = g.IsContiguous ? g : g.CopyDense();
        var gx = Tensor.Zeros(_inputShape, g.DType);
        var strides = ShapeUtil.ContiguousStrides(_inputShape);
        if (g.DType == DType.Float32)
            IndexKernel.ScatterAdd(gd.Span<float>(), idx.Span<long>(), idx.ShapeArray, _dim, gx.Span<float>(), strides);
        else
            IndexKernel.ScatterAdd(gd.Span<double>(), idx.Span<long>(), idx.ShapeArray, _dim, gx.Span<double>(), strides);
        return [gx];
    }
}

using Dendrite.Autograd;
using Dendrite.Tracing;

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
        var backend = Dispatch.Backend("Gather", x, index);
        var idx = index.Dense();
        IndexSelectOp.CheckRange(idx, x.ShapeArray[d], d, "Gather");
        var y = Tensor.AllocateLike(index, x.DType, false);
        backend.Gather(x.Raw, idx.Raw, d, y.Raw);
        if (OpTrace.IsActive)
            OpTrace.Record("Gather", y, x, index).With("dim", d);
        if (!ShouldRecord(x))
            return y;
        var fn = new GatherOp { _inputShape = x.ShapeArray, _dim = d };
        fn.Save(idx);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var idx = Saved(0);
        var gd = g.Dense();
        var gx = Tensor.Allocate(_inputShape, g.DType, true, g.Backend);
        g.Backend.ScatterAdd(gd.Raw, idx.Raw, _dim, gx.Raw);
        return [gx];
    }
}

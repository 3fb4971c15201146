using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>log Σ exp(x) over one dim, stable (max-shifted). // d/dx = exp(x − y) = softmax(x)</summary>
internal sealed class LogSumExpOp : GradFn
{
    private int[] _keptShape = [];

    public override string Name => "LogSumExpBackward";

    public static Tensor Apply(Tensor x, int dim, bool keepDim)
    {
        x.CheckFloating("LogSumExp");
        int d = ShapeUtil.NormalizeDim(dim, x.Rank, "LogSumExp");
        var src = x.Dense();
        var (outer, r, inner) = Reduce.Split(x.ShapeArray, d);
        var y = Tensor.Allocate(Reduce.ReducedShape(x.ShapeArray, d, keepDim), x.DType, false, x.Backend);
        x.Backend.LogSumExp(src.Raw, outer, r, inner, y.Raw);
        if (OpTrace.IsActive)
            OpTrace.Record("LogSumExp", y, x).With("dim", d).With("keepDim", keepDim);
        if (!ShouldRecord(x))
            return y;
        var fn = new LogSumExpOp { _keptShape = Reduce.ReducedShape(x.ShapeArray, d, true) };
        fn.Save(x, y);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var x = Saved(0);
        var y = Saved(1).Reshape(_keptShape);
        return [x.Sub(y).Exp().Mul(g.Reshape(_keptShape))];
    }
}

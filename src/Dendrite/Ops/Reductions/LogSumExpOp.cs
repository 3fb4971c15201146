using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

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
        var src = x.IsContiguous ? x : x.CopyDense();
        var (outer, r, inner) = Reduce.Split(x.ShapeArray, d);
        var y = Tensor.Allocate(Reduce.ReducedShape(x.ShapeArray, d, keepDim), x.DType, false);
        if (x.DType == DType.Float32)
            SoftmaxKernel.LogSumExp(src.Span<float>(), outer, r, inner, y.Span<float>());
        else
            SoftmaxKernel.LogSumExp(src.Span<double>(), outer, r, inner, y.Span<double>());
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

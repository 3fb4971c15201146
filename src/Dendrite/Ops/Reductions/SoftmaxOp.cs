using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

namespace Dendrite.Ops;

/// <summary>
/// Softmax or log-softmax over one dim, stable (max-shifted). Backward from the saved output y:
/// softmax gx = y·(g − Σ g·y); log_softmax gx = g − eʸ·Σ g (sums over the dim).
/// </summary>
internal sealed class SoftmaxOp : GradFn
{
    private bool _log;
    private int _dim;

    public override string Name => _log ? "LogSoftmaxBackward" : "SoftmaxBackward";

    public static Tensor Apply(Tensor x, int dim, bool log)
    {
        string op = log ? "LogSoftmax" : "Softmax";
        x.CheckFloating(op);
        int d = ShapeUtil.NormalizeDim(dim, x.Rank, op);
        var src = x.IsContiguous ? x : x.CopyDense();
        var (outer, r, inner) = Reduce.Split(x.ShapeArray, d);
        var y = Tensor.AllocateLike(x, x.DType, false);
        if (x.DType == DType.Float32)
            SoftmaxKernel.Forward(src.Span<float>(), outer, r, inner, y.Span<float>(), log);
        else
            SoftmaxKernel.Forward(src.Span<double>(), outer, r, inner, y.Span<double>(), log);
        if (!ShouldRecord(x))
            return y;
        var fn = new SoftmaxOp { _log = log, _dim = d };
        fn.Save(y);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var y = Saved(0);
        var gd = g.DType != y.DType ? g.To(y.DType) : g;
        if (!gd.IsContiguous)
            gd = gd.CopyDense();
        var (outer, r, inner) = Reduce.Split(y.ShapeArray, _dim);
        var gx = Tensor.AllocateLike(y, y.DType, false);
        if (y.DType == DType.Float32)
            SoftmaxKernel.Backward(gd.Span<float>(), y.Span<float>(), outer, r, inner, gx.Span<float>(), _log);
        else
            SoftmaxKernel.Backward(gd.Span<double>(), y.Span<double>(), outer, r, inner, gx.Span<double>(), _log);
        return [gx];
    }
}

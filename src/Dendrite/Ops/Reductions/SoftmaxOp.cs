using Dendrite.Autograd;
using Dendrite.Tracing;

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
        var src = x.Dense();
        var (outer, r, inner) = Reduce.Split(x.ShapeArray, d);
        var y = Tensor.AllocateLike(x, x.DType, false);
        x.Backend.Softmax(src.Raw, outer, r, inner, y.Raw, log);
        if (OpTrace.IsActive)
            OpTrace.Record(op, y, x).With("dim", d);
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
        gd = gd.Dense();
        var (outer, r, inner) = Reduce.Split(y.ShapeArray, _dim);
        var gx = Tensor.AllocateLike(y, y.DType, false);
        y.Backend.SoftmaxBackward(gd.Raw, y.Raw, outer, r, inner, gx.Raw, _log);
        return [gx];
    }
}

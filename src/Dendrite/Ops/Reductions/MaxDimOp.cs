using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// Max (or min) over one dim with the indices of the first extremes (like <c>torch.max(x, dim)</c>). The gradient
/// of the values is routed to the arg-max positions; the indices are not differentiable.
/// </summary>
internal sealed class MaxDimOp : GradFn
{
    private int[] _inputShape = [];
    private int _dim;
    private bool _min;

    public override string Name => _min ? "MinBackward" : "MaxBackward";

    public static (Tensor Values, Tensor Indices) Apply(Tensor x, int dim, bool keepDim, bool min)
    {
        string op = min ? "Min" : "Max";
        int d = ShapeUtil.NormalizeDim(dim, x.Rank, op);
        var (values, indices) = ArgExtreme.Compute(x, d, keepDim, min, op);
        if (OpTrace.IsActive)
            OpTrace.Record(min ? "MinDim" : "MaxDim", [values, indices], x).With("dim", d).With("keepDim", keepDim);
        if (!ShouldRecord(x))
            return (values, indices);
        var fn = new MaxDimOp { _inputShape = x.ShapeArray, _dim = d, _min = min };
        fn.Save(indices);
        return (Record(fn, values, x), indices);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var indices = Saved(0);
        var gd = g.Dense();
        var (outer, r, inner) = Reduce.Split(_inputShape, _dim);
        var gx = Tensor.Allocate(_inputShape, g.DType, false, g.Backend);
        g.Backend.ScatterArg(gd.Raw, indices.Raw, outer, r, inner, gx.Raw);
        return [gx];
    }
}

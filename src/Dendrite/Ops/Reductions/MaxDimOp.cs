using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

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
        if (!ShouldRecord(x))
            return (values, indices);
        var fn = new MaxDimOp { _inputShape = x.ShapeArray, _dim = d, _min = min };
        fn.Save(indices);
        return (Record(fn, values, x), indices);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var indices = Saved(0);
        var gd = g.IsContiguous ? g : g.CopyDense();
        var (outer, r, inner) = Reduce.Split(_inputShape, _dim);
        var gx = Tensor.Zeros(_inputShape, g.DType);
        if (g.DType == DType.Float32)
            ReduceKernel.ScatterArg(gd.Span<float>(), indices.Span<long>(), outer, r, inner, gx.Span<float>());
        else
            ReduceKernel.ScatterArg(gd.Span<double>(), indices.Span<long>(), outer, r, inner, gx.Span<double>());
        return [gx];
    }
}

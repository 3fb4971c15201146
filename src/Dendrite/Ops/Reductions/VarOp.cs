using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// Variance over a set of dims, dividing by N − 1 (unbiased) or N, N being the number of reduced elements.
/// // d var / dx = 2·(x − mean) / (N − ddof)
/// </summary>
internal sealed class VarOp : GradFn
{
    private int[] _keptShape = [];
    private double _scale;

    public override string Name => "VarBackward";

    public static Tensor Apply(Tensor x, int[]? dims, bool unbiased, bool keepDim)
    {
        x.CheckFloating("Var");
        var d = ShapeUtil.NormalizeDims(dims is { Length: 0 } ? null : dims, x.Rank, "Var");
        var layout = Reduce.Layout(x, d, keepDim);
        int ddof = unbiased ? 1 : 0;
        var y = Tensor.Allocate(layout.OutShape, x.DType, false, x.Backend);
        var mean = Tensor.Allocate((int[])layout.OutShape.Clone(), x.DType, false, x.Backend);
        if (layout.R == 0)
        {
            // No elements: mean and variance are NaN, as in PyTorch.
            y.FillUnchecked(double.NaN);
            mean.FillUnchecked(double.NaN);
        }
        else
            x.Backend.Moments(layout.Src.Raw, layout.Outer, layout.R, layout.Inner, mean.Raw, y.Raw, ddof);
        if (OpTrace.IsActive)
            OpTrace.Record("Var", y, x).With("dims", d).With("unbiased", unbiased).With("keepDim", keepDim).With("count", layout.R);
        if (!ShouldRecord(x))
            return y;
        var fn = new VarOp { _keptShape = layout.KeptShape, _scale = 2.0 / (layout.R - ddof) };
        fn.Save(x, mean);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var x = Saved(0);
        var mean = Saved(1).Reshape(_keptShape);
        return [x.Sub(mean).Mul(g.Reshape(_keptShape).Mul(_scale))];
    }
}

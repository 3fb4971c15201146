using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Sum (or mean, with a scale) over a set of dims; backward broadcasts the gradient back.</summary>
internal sealed class SumOp : GradFn
{
    private int[] _inputShape = [];
    private int[] _keptShape = [];
    private double _scale;

    public override string Name => _scale == 1 ? "SumBackward" : "MeanBackward";

    public static Tensor Apply(Tensor x, int[]? dims, bool keepDim, bool mean = false)
    {
        string op = mean ? "Mean" : "Sum";
        var d = ShapeUtil.NormalizeDims(dims is { Length: 0 } ? null : dims, x.Rank, op);
        if (mean && !x.DType.IsFloatingPoint())
            throw new ArgumentException($"Mean: expected a floating-point tensor, got {x.DType}; convert with To(DType.Float32).");
        var layout = Reduce.Layout(x, d, keepDim);
        var src = layout.Src;
        if (!src.DType.IsFloatingPoint() && src.DType != DType.Int64)
            src = src.To(DType.Int64);
        var y = Tensor.Allocate(layout.OutShape, src.DType, false, x.Backend);
        int count = layout.R;
        if (mean && count == 0)
            y.FillUnchecked(double.NaN);   // the mean of nothing is NaN (PyTorch), the sum of nothing 0
        else
            x.Backend.Sum(src.Raw, layout.Outer, count, layout.Inner, y.Raw, mean ? 1.0 / count : 1.0);
        var kept = layout.KeptShape;
        if (OpTrace.IsActive)
            OpTrace.Record(op, y, x).With("dims", d).With("keepDim", keepDim);
        if (!ShouldRecord(x))
            return y;
        return Record(new SumOp { _inputShape = x.ShapeArray, _keptShape = kept, _scale = mean ? 1.0 / count : 1.0 }, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        // A full reduction (the usual loss.Mean()) sends one value everywhere: on the CPU, fill a dense tensor with it
        // directly rather than multiplying a broadcast view (on a device, reading the value would wait for it).
        if (g.Numel == 1 && g.DType.IsFloatingPoint() && g.Device.IsCpu)
        {
            var filled = Tensor.Allocate(_inputShape, g.DType, false, g.Backend);
            filled.FillUnchecked(g.GetFlat(0) * _scale);
            return [filled];
        }
        var gk = g.Reshape(_keptShape).Expand(_inputShape);
        return [_scale == 1 ? gk : gk.Mul(_scale)];
    }
}

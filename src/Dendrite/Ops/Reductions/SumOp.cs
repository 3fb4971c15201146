using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

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
        var (y, kept, count) = Reduce.Run(x, d, keepDim, op, (src, outer, r, inner, dst, n) =>
        {
            if (!x.DType.IsFloatingPoint())
            {
                if (mean)
                    throw new ArgumentException($"Mean: expected a floating-point tensor, got {x.DType}; convert with To(DType.Float32).");
                ReduceKernel.SumInt64(src.Span<long>(), outer, r, inner, dst.Span<long>());
            }
            else if (x.DType == DType.Float32)
                ReduceKernel.Sum(src.Span<float>(), outer, r, inner, dst.Span<float>(), mean ? 1f / r : 1f);
            else
                ReduceKernel.Sum(src.Span<double>(), outer, r, inner, dst.Span<double>(), mean ? 1.0 / r : 1.0);
        });
        if (!ShouldRecord(x))
            return y;
        return Record(new SumOp { _inputShape = x.ShapeArray, _keptShape = kept, _scale = mean ? 1.0 / count : 1.0 }, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        // A full reduction (the usual loss.Mean()) sends one value everywhere: fill a dense tensor with it directly
        // rather than multiplying a broadcast view.
        if (g.Numel == 1 && g.DType.IsFloatingPoint())
        {
            var filled = Tensor.Allocate(_inputShape, g.DType, false);
            filled.FillUnchecked(g.GetFlat(0) * _scale);
            return [filled];
        }
        var gk = g.Reshape(_keptShape).Expand(_inputShape);
        return [_scale == 1 ? gk : gk.Mul(_scale)];
    }
}

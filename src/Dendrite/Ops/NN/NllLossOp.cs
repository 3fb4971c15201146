using System.Numerics;
using Dendrite.Autograd;
using Dendrite.NN;

namespace Dendrite.Ops;

/// <summary>
/// Negative log-likelihood over log-probabilities [M, C] and class labels [M]: loss_i = −w_y·lp[i, y]
/// (0 for ignored rows); Mean divides the total by Σ w_y over the kept rows. Backward: dlp[i, y] = −s·w_y.
/// </summary>
internal sealed class NllLossOp : GradFn
{
    private long[] _labels = [];
    private double[]? _weight;
    private double _denominator;
    private long _ignoreIndex;
    private Reduction _reduction;
    private int[] _shape = [];

    public override string Name => "NllLossBackward";

    /// <summary>logProbs [M, C]; labels already validated; returns [M] (None) or a scalar.</summary>
    public static Tensor Apply(Tensor logProbs, long[] labels, Tensor? weight, long ignoreIndex, Reduction reduction)
    {
        int m = logProbs.ShapeArray[0], c = logProbs.ShapeArray[1];
        double[]? w = weight?.Detach().To(DType.Float64).Dense().ToArray<double>();
        var lp = logProbs.Dense();
        var perRow = new double[m];
        double denominator = reduction == Reduction.Mean ? 0 : 1;
        for (int i = 0; i < m; i++)
        {
            long y = labels[i];
            if (y == ignoreIndex)
                continue;
            double wy = w?[y] ?? 1.0;
            perRow[i] = -wy * lp.GetFlat(i * c + (int)y);
            if (reduction == Reduction.Mean)
                denominator += wy;
        }
        Tensor output;
        if (reduction == Reduction.None)
            output = Tensor.FromArray(perRow, m).To(logProbs.DType);
        else
        {
            double total = 0;
            foreach (double v in perRow)
                total += v;
            output = Tensor.Scalar(total / denominator, logProbs.DType);
        }
        if (!ShouldRecord(logProbs))
            return output;
        var fn = new NllLossOp
        {
            _labels = labels, _weight = w, _denominator = denominator, _ignoreIndex = ignoreIndex, _reduction = reduction,
            _shape = [m, c],
        };
        return Record(fn, output, logProbs);
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        ThrowIfReleased();
        var g = gradOutput.Dense().To(DType.Float64).ToArray<double>();
        var d = Tensor.Allocate((int[])_shape.Clone(), gradOutput.DType, true);
        if (d.DType == DType.Float32)
            Scatter<float>(d.Span<float>(), g);
        else
            Scatter<double>(d.Span<double>(), g);
        return [d];
    }

    private void Scatter<T>(Span<T> d, double[] g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = _shape[1];
        for (int i = 0; i < _labels.Length; i++)
        {
            long y = _labels[i];
            if (y == _ignoreIndex)
                continue;
            double s = _reduction == Reduction.None ? g[i] : g[0] / _denominator;
            d[i * c + (int)y] = T.CreateTruncating(-s * (_weight?[y] ?? 1.0));
        }
    }

    protected override void ReleaseState() => _labels = [];
}

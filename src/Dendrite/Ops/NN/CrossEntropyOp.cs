using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Dendrite.Autograd;
using Dendrite.Backends.Cpu;
using Dendrite.NN;

namespace Dendrite.Ops;

/// <summary>
/// Fused, numerically stable log-softmax + negative log-likelihood over logits [M, C] and class labels [M],
/// with optional class weights w, label smoothing ε and an ignored label. Per row with label y and
/// log p = z − logsumexp(z): loss = (1 − ε)·w_y·(−log p_y) + (ε/C)·Σ_c w_c·(−log p_c) (0 for ignored rows);
/// Mean divides the total by Σ w_y over the kept rows (PyTorch's weighted mean).
/// Backward: dz_j = s·(p_j·((1 − ε)·w_y + (ε/C)·Σ_c w_c) − (1 − ε)·w_y·[j = y] − (ε/C)·w_j), s the row's scale.
/// </summary>
internal sealed class CrossEntropyOp : GradFn
{
    private long[] _labels = [];
    private double[] _lse = [];
    private double[]? _weight;
    private double _smoothing, _denominator;
    private long _ignoreIndex;
    private Reduction _reduction;

    public override string Name => "CrossEntropyLossBackward";

    /// <summary>logits [M, C] (dense), labels already validated; returns [M] (None) or a scalar.</summary>
    public static Tensor Apply(Tensor logits, long[] labels, Tensor? weight, double labelSmoothing, long ignoreIndex, Reduction reduction)
    {
        int m = logits.ShapeArray[0], c = logits.ShapeArray[1];
        double[]? w = weight?.Detach().To(DType.Float64).Dense().ToArray<double>();
        var lc = logits.Dense();
        var lse = new double[m];
        var perRow = new double[m];
        if (logits.DType == DType.Float32)
            Forward<float>(lc.Span<float>(), m, c, labels, w, labelSmoothing, ignoreIndex, lse, perRow);
        else
            Forward<double>(lc.Span<double>(), m, c, labels, w, labelSmoothing, ignoreIndex, lse, perRow);

        double denominator = 1;
        if (reduction == Reduction.Mean)
        {
            denominator = 0;
            foreach (long y in labels)
                if (y != ignoreIndex)
                    denominator += w?[y] ?? 1.0;
        }
        Tensor output;
        if (reduction == Reduction.None)
            output = Tensor.FromArray(perRow, m).To(logits.DType);
        else
        {
            double total = 0;
            foreach (double v in perRow)
                total += v;
            output = Tensor.Scalar(total / denominator, logits.DType);
        }
        if (!ShouldRecord(logits))
            return output;
        var fn = new CrossEntropyOp
        {
            _labels = labels, _lse = lse, _weight = w, _smoothing = labelSmoothing, _denominator = denominator,
            _ignoreIndex = ignoreIndex, _reduction = reduction,
        };
        fn.Save(lc);
        return Record(fn, output, logits);
    }

    private static void Forward<T>(ReadOnlySpan<T> z, int m, int c, long[] labels, double[]? w, double eps, long ignoreIndex,
        double[] lse, double[] perRow) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sumW = 0;
        if (w is not null)
            foreach (double v in w)
                sumW += v;
        bool rowKernel = typeof(T) == typeof(float) && RowSoftmax.IsSupported && c > 0;
        // Scratch for the generic row path only. Plain arrays, not ArrayPool: the shared pool's generic code is
        // compiled at run time even in ReadyToRun builds (milliseconds in a training loop's first step).
        T[]? tmp = rowKernel ? null : new T[c];
        if (rowKernel)
            RowLogSumExps(MemoryMarshal.Cast<T, float>(z), m, c, lse);
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<T> row = z.Slice(i * c, c);
            double rowLse = rowKernel ? lse[i] : LogSumExp(row, tmp!);
            lse[i] = rowLse;
            long y = labels[i];
            if (y == ignoreIndex)
            {
                perRow[i] = 0;
                continue;
            }
            double wy = w?[y] ?? 1.0;
            double loss = (1 - eps) * wy * (rowLse - double.CreateTruncating(row[(int)y]));
            if (eps != 0)
            {
                // Σ_c w_c·(lse − z_c) = lse·Σw − Σ w_c·z_c
                double weighted = 0;
                if (w is null)
                    weighted = c * rowLse - double.CreateTruncating(TensorPrimitives.Sum(row));
                else
                {
                    double wz = 0;
                    for (int j = 0; j < c; j++)
                        wz += w[j] * double.CreateTruncating(row[j]);
                    weighted = rowLse * sumW - wz;
                }
                loss += eps / c * weighted;
            }
            perRow[i] = loss;
        }
    }

    // lse[i] = max_i + log Σ_j e^(z_ij − max_i): the row sums first, then all the logs at once in float32 vectors
    // (the sums are float32 already; one library log call per row cost more than the rest of the row).
    private static unsafe void RowLogSumExps(ReadOnlySpan<float> z, int m, int c, double[] lse)
    {
        const int StackRows = 1024;
        Span<float> sums = m <= StackRows ? stackalloc float[m] : new float[m];
        Span<float> max = m <= StackRows ? stackalloc float[m] : new float[m];
        fixed (float* p = z)
            for (int i = 0; i < m; i++)
                sums[i] = (float)RowSoftmax.SumExp(p + (long)i * c, c, out max[i]);
        RowSoftmax.LogInPlace(sums);
        for (int i = 0; i < m; i++)
            lse[i] = (double)max[i] + sums[i];
    }

    private static unsafe void RowScaledSoftmax(ReadOnlySpan<float> z, Span<float> d, double lse, double scale)
    {
        fixed (float* pz = z, pd = d)
            RowSoftmax.ScaledSoftmax(pz, pd, z.Length, (float)lse, (float)scale);
    }

    // log Σ exp(z) = max + log Σ exp(z − max), the exponentials vectorised through a scratch row.
    private static double LogSumExp<T>(ReadOnlySpan<T> row, Span<T> tmp) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (row.IsEmpty)
            return double.NegativeInfinity;
        T max = TensorPrimitives.Max(row);
        if (T.IsInfinity(max) || T.IsNaN(max))
            return double.CreateTruncating(max);
        TensorPrimitives.Subtract(row, max, tmp);
        TensorPrimitives.Exp(tmp, tmp);
        return double.CreateTruncating(max) + Math.Log(double.CreateTruncating(TensorPrimitives.Sum(tmp)));
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var z = Saved(0);
        // One value for a reduced loss, one per row otherwise, read in place (no converted copy).
        var g = new double[gradOutput.Numel];
        for (int i = 0; i < g.Length; i++)
            g[i] = gradOutput.GetFlat(i);
        var dz = Tensor.AllocateLike(z, z.DType, false);
        if (z.DType == DType.Float32)
            BackwardCore<float>(z.Span<float>(), dz.Span<float>(), g);
        else
            BackwardCore<double>(z.Span<double>(), dz.Span<double>(), g);
        return [dz];
    }

    private void BackwardCore<T>(ReadOnlySpan<T> z, Span<T> dz, double[] g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = _lse.Length, c = m == 0 ? 0 : z.Length / m;
        double eps = _smoothing, sumW = 0;
        if (_weight is not null)
            foreach (double v in _weight)
                sumW += v;
        else
            sumW = c;
        for (int i = 0; i < m; i++)
        {
            Span<T> d = dz.Slice(i * c, c);
            long y = _labels[i];
            if (y == _ignoreIndex)
            {
                d.Clear();
                continue;
            }
            double s = _reduction == Reduction.None ? g[i] : g[0] / _denominator;
            double wy = _weight?[y] ?? 1.0;
            double pScale = s * ((1 - eps) * wy + eps / c * sumW);
            // p_j·pScale via exp(z − lse) vectorised, then the one-hot and smoothing terms.
            if (typeof(T) == typeof(float) && RowSoftmax.IsSupported)
                RowScaledSoftmax(MemoryMarshal.Cast<T, float>(z.Slice(i * c, c)), MemoryMarshal.Cast<T, float>(d), _lse[i], pScale);
            else
            {
                TensorPrimitives.Subtract(z.Slice(i * c, c), T.CreateTruncating(_lse[i]), d);
                TensorPrimitives.Exp(d, d);
                TensorPrimitives.Multiply(d, T.CreateTruncating(pScale), d);
            }
            if (eps != 0)
            {
                if (_weight is null)
                    TensorPrimitives.Subtract(d, T.CreateTruncating(s * eps / c), d);
                else
                    for (int j = 0; j < c; j++)
                        d[j] -= T.CreateTruncating(s * eps / c * _weight[j]);
            }
            d[(int)y] -= T.CreateTruncating(s * (1 - eps) * wy);
        }
    }

    protected override void ReleaseState()
    {
        _labels = [];
        _lse = [];
    }
}

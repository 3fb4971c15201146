using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Fused log-softmax + NLL over contiguous logits [M, C] (see <see cref="IBackend.CrossEntropy"/>): float32 rows go
/// through the AVX-512 row softmax kernels, other rows through a max-shifted scratch row. An empty weight span means
/// no class weights.
/// </summary>
internal static class CrossEntropyKernel
{
    /// <summary>lse_i and the per-row loss (0 for ignored rows), both in double.</summary>
    public static void Forward<T>(ReadOnlySpan<T> z, int m, int c, ReadOnlySpan<long> labels, ReadOnlySpan<double> w, double eps,
        long ignoreIndex, Span<double> lse, Span<double> perRow) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool weighted = !w.IsEmpty;
        double sumW = 0;
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
            double wy = weighted ? w[(int)y] : 1.0;
            double loss = (1 - eps) * wy * (rowLse - double.CreateTruncating(row[(int)y]));
            if (eps != 0)
            {
                // Σ_c w_c·(lse − z_c) = lse·Σw − Σ w_c·z_c
                double weightedSum = 0;
                if (!weighted)
                    weightedSum = c * rowLse - double.CreateTruncating(TensorPrimitives.Sum(row));
                else
                {
                    double wz = 0;
                    for (int j = 0; j < c; j++)
                        wz += w[j] * double.CreateTruncating(row[j]);
                    weightedSum = rowLse * sumW - wz;
                }
                loss += eps / c * weightedSum;
            }
            perRow[i] = loss;
        }
    }

    // lse[i] = max_i + log Σ_j e^(z_ij − max_i): the row sums first, then all the logs at once in float32 vectors
    // (the sums are float32 already; one library log call per row cost more than the rest of the row).
    private static unsafe void RowLogSumExps(ReadOnlySpan<float> z, int m, int c, Span<double> lse)
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

    /// <summary>
    /// dz (overwritten) with row scale s_i = g[i] when <paramref name="perRowGrad"/>, else g[0]/<paramref name="denominator"/>.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> z, Span<T> dz, int m, int c, ReadOnlySpan<long> labels, ReadOnlySpan<double> w,
        ReadOnlySpan<double> lse, ReadOnlySpan<T> g, bool perRowGrad, double denominator, double eps, long ignoreIndex)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool weighted = !w.IsEmpty;
        double sumW = 0;
        if (weighted)
            foreach (double v in w)
                sumW += v;
        else
            sumW = c;
        for (int i = 0; i < m; i++)
        {
            Span<T> d = dz.Slice(i * c, c);
            long y = labels[i];
            if (y == ignoreIndex)
            {
                d.Clear();
                continue;
            }
            double s = perRowGrad ? double.CreateTruncating(g[i]) : double.CreateTruncating(g[0]) / denominator;
            double wy = weighted ? w[(int)y] : 1.0;
            double pScale = s * ((1 - eps) * wy + eps / c * sumW);
            // p_j·pScale via exp(z − lse) vectorised, then the one-hot and smoothing terms.
            if (typeof(T) == typeof(float) && RowSoftmax.IsSupported)
                RowScaledSoftmax(MemoryMarshal.Cast<T, float>(z.Slice(i * c, c)), MemoryMarshal.Cast<T, float>(d), lse[i], pScale);
            else
            {
                TensorPrimitives.Subtract(z.Slice(i * c, c), T.CreateTruncating(lse[i]), d);
                TensorPrimitives.Exp(d, d);
                TensorPrimitives.Multiply(d, T.CreateTruncating(pScale), d);
            }
            if (eps != 0)
            {
                if (!weighted)
                    TensorPrimitives.Subtract(d, T.CreateTruncating(s * eps / c), d);
                else
                    for (int j = 0; j < c; j++)
                        d[j] -= T.CreateTruncating(s * eps / c * w[j]);
            }
            d[(int)y] -= T.CreateTruncating(s * (1 - eps) * wy);
        }
    }
}

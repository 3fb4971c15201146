using System.Numerics;
using System.Numerics.Tensors;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Batch normalization over contiguous x [N, C, S] with per-channel float64 statistics: the statistics, the fused
/// normalize + affine, and the backward (see <see cref="IBackend.BatchNormBackward"/>).
/// </summary>
internal static class BatchNormKernel
{
    /// <summary>Per channel: mean and biased variance (two passes, in T) over its N spans of S elements.</summary>
    public static void Statistics<T>(ReadOnlySpan<T> x, int n, int c, int s, Span<double> mean, Span<double> variance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double count = (double)n * s;
        for (int ch = 0; ch < c; ch++)
        {
            T sum = T.Zero;
            for (int i = 0; i < n; i++)
                sum += TensorPrimitives.Sum(x.Slice((i * c + ch) * s, s));
            T mu = sum / T.CreateTruncating(count);
            T sq = T.Zero;
            for (int i = 0; i < n; i++)
                sq += NNKernels.SumSquaredDeviation(x.Slice((i * c + ch) * s, s), mu);
            mean[ch] = double.CreateTruncating(mu);
            variance[ch] = double.CreateTruncating(sq) / count;
        }
    }

    /// <summary>y = x·a + b per channel, a = γ·σ⁻¹, b = β − μ·a (γ, β empty when absent).</summary>
    public static void Normalize<T>(ReadOnlySpan<T> x, Span<T> y, int n, int c, int s, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd,
        ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int ch = 0; ch < c; ch++)
        {
            double a = invStd[ch] * (gamma.IsEmpty ? 1.0 : gamma[ch]);
            double b = (beta.IsEmpty ? 0.0 : beta[ch]) - mean[ch] * a;
            T ta = T.CreateTruncating(a), tb = T.CreateTruncating(b);
            for (int i = 0; i < n; i++)
            {
                int at = (i * c + ch) * s;
                NNKernels.Affine(x.Slice(at, s), ta, tb, y.Slice(at, s));
            }
        }
    }

    /// <summary>
    /// Per channel Σg and Σg·x̂ (into <paramref name="sumG"/>, <paramref name="sumGxhat"/>) and, when
    /// <paramref name="dx"/> is not empty, dx = a·g + b·x + d (training) or a·g (evaluation).
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx, int n, int c, int s, ReadOnlySpan<double> mean,
        ReadOnlySpan<double> invStd, ReadOnlySpan<double> gamma, bool training, Span<double> sumG, Span<double> sumGxhat)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double m = (double)n * s;
        for (int ch = 0; ch < c; ch++)
        {
            T mu = T.CreateTruncating(mean[ch]);
            T sg = T.Zero, sgx = T.Zero;
            for (int i = 0; i < n; i++)
            {
                int at = (i * c + ch) * s;
                sg += TensorPrimitives.Sum(g.Slice(at, s));
                sgx += NNKernels.DotDeviation(g.Slice(at, s), x.Slice(at, s), mu);
            }
            double inv = invStd[ch];
            sumG[ch] = double.CreateTruncating(sg);
            sumGxhat[ch] = double.CreateTruncating(sgx) * inv;
            if (dx.IsEmpty)
                continue;
            double a = (gamma.IsEmpty ? 1.0 : gamma[ch]) * inv;
            // Training: dx = a·g + b·x + d with b = −a·σ⁻¹·Σ(g·x̂)/M and d = −a·Σg/M − b·μ. Evaluation: dx = a·g.
            double b = 0, d = 0;
            if (training)
            {
                b = -a * inv * sumGxhat[ch] / m;
                d = -a * sumG[ch] / m - b * mean[ch];
            }
            T ta = T.CreateTruncating(a), tb = T.CreateTruncating(b), td = T.CreateTruncating(d);
            for (int i = 0; i < n; i++)
            {
                int at = (i * c + ch) * s;
                Span<T> dst = dx.Slice(at, s);
                NNKernels.Affine(x.Slice(at, s), tb, td, dst);
                TensorPrimitives.MultiplyAdd(g.Slice(at, s), ta, dst, dst);
            }
        }
    }
}

using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Layer normalization over the rows of contiguous x [rows, D], with per-row statistics in T
/// (see <see cref="IBackend.LayerNorm"/>).
/// </summary>
internal static class LayerNormKernel
{
    /// <summary>Per row: μ, σ⁻¹ = 1/√(var + eps) and y = x̂·γ + β (γ, β empty when absent).</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> y, int rows, int d,
        double eps, Span<T> mean, Span<T> invStd) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateTruncating(d);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> xr = x.Slice(r * d, d);
            Span<T> yr = y.Slice(r * d, d);
            T mu = TensorPrimitives.Sum(xr) / count;
            T variance = NNKernels.SumSquaredDeviation(xr, mu) / count;
            T inv = T.One / T.Sqrt(variance + T.CreateTruncating(eps));
            mean[r] = mu;
            invStd[r] = inv;
            // x̂ = x·σ⁻¹ − μ·σ⁻¹, then y = x̂·γ + β
            NNKernels.Affine(xr, inv, -mu * inv, yr);
            if (!gamma.IsEmpty)
                TensorPrimitives.Multiply(yr, gamma, yr);
            if (!beta.IsEmpty)
                TensorPrimitives.Add(yr, beta, yr);
        }
    }

    /// <summary>
    /// dw += Σ_rows g·x̂ and db += Σ_rows g (each skipped when empty) and, when <paramref name="needDx"/>,
    /// dx = σ⁻¹·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = g·γ.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, ReadOnlySpan<T> gamma, ReadOnlySpan<T> mean, ReadOnlySpan<T> invStd,
        Span<T> dx, Span<T> dw, Span<T> db, bool needDx, int rows, int d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] buffer = ArrayPool<T>.Shared.Rent(2 * d);
        try
        {
            Span<T> xhat = buffer.AsSpan(0, d), gg = buffer.AsSpan(d, d);
            T count = T.CreateTruncating(d);
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<T> xr = x.Slice(r * d, d), gr = g.Slice(r * d, d);
                T inv = invStd[r], mu = mean[r];
                NNKernels.Affine(xr, inv, -mu * inv, xhat);
                if (!dw.IsEmpty)
                    TensorPrimitives.MultiplyAdd(gr, xhat, dw, dw);
                if (!db.IsEmpty)
                    TensorPrimitives.Add(db, gr, db);
                if (!needDx)
                    continue;
                if (gamma.IsEmpty)
                    gr.CopyTo(gg);
                else
                    TensorPrimitives.Multiply(gr, gamma, gg);
                T meanG = TensorPrimitives.Sum(gg) / count;
                T meanGx = TensorPrimitives.Dot(gg, xhat) / count;
                // dx = σ⁻¹·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))
                Span<T> dr = dx.Slice(r * d, d);
                NNKernels.Affine(xhat, -meanGx, -meanG, dr);
                TensorPrimitives.Add(dr, gg, dr);
                TensorPrimitives.Multiply(dr, inv, dr);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }
}

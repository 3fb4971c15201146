using System.Numerics;
using Dendrite.Gpu.Kernels.Reductions;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Norm;

/// <summary>
/// Layer norm over the rows of dense x [Rows, D], in T as the CPU: μ = Σx/D, var = Σ(x − μ)²/D (two passes),
/// σ⁻¹ = 1/√(var + eps), y = (x·σ⁻¹ + (−μ·σ⁻¹))·γ + β; and the backward's input gradient per row. Each comes as a
/// per-thread version (one row per thread, barrier-free) and a per-warp version (one row per warp, lanes stride
/// along the row, shuffle trees whose result every lane receives).
/// </summary>
internal static class LayerNormKernels
{
    /// <summary>Forward, one thread per row: mean, invStd [Rows] and y.</summary>
    [GpuKernel]
    public static void ForwardThread<T, TReal>(ArrayView<T> x, ArrayView<T> gamma, ArrayView<T> beta, ArrayView<T> y, ArrayView<T> mean,
        ArrayView<T> invStd, RowArgs<T> a) where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        int stride = Grid.DimX * Group.DimX;
        for (int r = Grid.GlobalIndex.X; r < a.Rows; r += stride)
        {
            int at = r * a.D;
            T sum = T.Zero;
            for (int j = 0; j < a.D; j++)
                sum += x[at + j];
            T mu = sum / a.Count, sq = T.Zero;
            for (int j = 0; j < a.D; j++)
            {
                T d = x[at + j] - mu;
                sq += d * d;
            }
            T inv = T.One / default(TReal).Sqrt(sq / a.Count + a.Eps);
            mean[r] = mu;
            invStd[r] = inv;
            for (int j = 0; j < a.D; j++)
                y[at + j] = Affine(x[at + j], inv, -mu * inv, gamma, beta, j, a);
        }
    }

    /// <summary>Forward, one warp per row (see <see cref="ForwardThread{T, TReal}"/>).</summary>
    [GpuKernel]
    public static void ForwardWarp<T, TReal>(ArrayView<T> x, ArrayView<T> gamma, ArrayView<T> beta, ArrayView<T> y, ArrayView<T> mean,
        ArrayView<T> invStd, RowArgs<T> a) where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        int warps = Group.DimX / Warp.WarpSize, lane = Warp.LaneIdx;
        for (int r = Grid.IdxX * warps + Warp.WarpIdx; r < a.Rows; r += Grid.DimX * warps)
        {
            int at = r * a.D;
            T sum = T.Zero;
            for (int j = lane; j < a.D; j += Warp.WarpSize)
                sum += x[at + j];
            T mu = WarpSum(sum) / a.Count, sq = T.Zero;
            for (int j = lane; j < a.D; j += Warp.WarpSize)
            {
                T d = x[at + j] - mu;
                sq += d * d;
            }
            T inv = T.One / default(TReal).Sqrt(WarpSum(sq) / a.Count + a.Eps);
            if (lane == 0)
            {
                mean[r] = mu;
                invStd[r] = inv;
            }
            for (int j = lane; j < a.D; j += Warp.WarpSize)
                y[at + j] = Affine(x[at + j], inv, -mu * inv, gamma, beta, j, a);
        }
    }

    /// <summary>
    /// Input gradient, one thread per row: with x̂ = x·σ⁻¹ + (−μ·σ⁻¹) and ĝ = g·γ,
    /// dx = ((x̂·(−mean(ĝ·x̂)) + (−mean(ĝ))) + ĝ)·σ⁻¹.
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void InputGradientThread<T>(ArrayView<T> x, ArrayView<T> g, ArrayView<T> gamma, ArrayView<T> mean, ArrayView<T> invStd,
        ArrayView<T> dx, RowArgs<T> a) where T : unmanaged, INumber<T>
    {
        int stride = Grid.DimX * Group.DimX;
        for (int r = Grid.GlobalIndex.X; r < a.Rows; r += stride)
        {
            int at = r * a.D;
            T inv = invStd[r], shift = -mean[r] * inv, sg = T.Zero, sgx = T.Zero;
            for (int j = 0; j < a.D; j++)
            {
                T gg = a.HasGamma != 0 ? g[at + j] * gamma[j] : g[at + j];
                sg += gg;
                sgx += gg * (x[at + j] * inv + shift);
            }
            T meanG = sg / a.Count, meanGx = sgx / a.Count;
            for (int j = 0; j < a.D; j++)
            {
                T gg = a.HasGamma != 0 ? g[at + j] * gamma[j] : g[at + j];
                dx[at + j] = ((x[at + j] * inv + shift) * -meanGx + -meanG + gg) * inv;
            }
        }
    }

    /// <summary>Input gradient, one warp per row (see <see cref="InputGradientThread{T}"/>).</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void InputGradientWarp<T>(ArrayView<T> x, ArrayView<T> g, ArrayView<T> gamma, ArrayView<T> mean, ArrayView<T> invStd,
        ArrayView<T> dx, RowArgs<T> a) where T : unmanaged, INumber<T>
    {
        int warps = Group.DimX / Warp.WarpSize, lane = Warp.LaneIdx;
        for (int r = Grid.IdxX * warps + Warp.WarpIdx; r < a.Rows; r += Grid.DimX * warps)
        {
            int at = r * a.D;
            T inv = invStd[r], shift = -mean[r] * inv, sg = T.Zero, sgx = T.Zero;
            for (int j = lane; j < a.D; j += Warp.WarpSize)
            {
                T gg = a.HasGamma != 0 ? g[at + j] * gamma[j] : g[at + j];
                sg += gg;
                sgx += gg * (x[at + j] * inv + shift);
            }
            T meanG = WarpSum(sg) / a.Count, meanGx = WarpSum(sgx) / a.Count;
            for (int j = lane; j < a.D; j += Warp.WarpSize)
            {
                T gg = a.HasGamma != 0 ? g[at + j] * gamma[j] : g[at + j];
                dx[at + j] = ((x[at + j] * inv + shift) * -meanGx + -meanG + gg) * inv;
            }
        }
    }

    /// <summary>
    /// Parameter-gradient column sums over the rows of chunk k (one thread per (k, j), coalesced along j):
    /// outGamma[k·D + j] = Σ_r g·x̂ (accumulated as g·x̂ + acc, the CPU's order) and outBeta[k·D + j] = Σ_r g, each
    /// written when wanted. With one chunk these are the gradients; otherwise partials for <see cref="CombineChunks{T}"/>.
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void ColumnSums<T>(ArrayView<T> x, ArrayView<T> g, ArrayView<T> mean, ArrayView<T> invStd, ArrayView<T> outGamma,
        ArrayView<T> outBeta, RowArgs<T> a) where T : unmanaged, INumber<T>
    {
        int stride = Grid.DimX * Group.DimX;
        for (int item = Grid.GlobalIndex.X; item < a.Chunks * a.D; item += stride)
        {
            int k = item / a.D, j = item - k * a.D;
            int r0 = k * a.RowsPerChunk, r1 = Math.Min(a.Rows, r0 + a.RowsPerChunk);
            T accGamma = T.Zero, accBeta = T.Zero;
            for (int r = r0; r < r1; r++)
            {
                int at = r * a.D + j;
                T inv = invStd[r];
                if (a.WantGamma != 0)
                    accGamma = g[at] * (x[at] * inv + -mean[r] * inv) + accGamma;
                accBeta += g[at];
            }
            if (a.WantGamma != 0)
                outGamma[item] = accGamma;
            if (a.WantBeta != 0)
                outBeta[item] = accBeta;
        }
    }

    /// <summary>y[j] = Σ_k partials[k·d + j] for j &lt; d, in chunk order from zero.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void CombineChunks<T>(ArrayView<T> partials, ArrayView<T> y, int chunks, int d) where T : unmanaged, INumber<T>
    {
        int stride = Grid.DimX * Group.DimX;
        for (int j = Grid.GlobalIndex.X; j < d; j += stride)
        {
            T acc = T.Zero;
            for (int k = 0; k < chunks; k++)
                acc += partials[k * d + j];
            y[j] = acc;
        }
    }

    // (x·scale + shift)·γ_j + β_j with γ, β skipped when absent (the CPU's order of operations).
    private static T Affine<T>(T x, T scale, T shift, ArrayView<T> gamma, ArrayView<T> beta, int j, RowArgs<T> a)
        where T : unmanaged, INumber<T>
    {
        T v = x * scale + shift;
        if (a.HasGamma != 0)
            v *= gamma[j];
        if (a.HasBeta != 0)
            v += beta[j];
        return v;
    }

    // Σ over the warp, in a fixed tree, received by every lane.
    [DeviceFunction]
    private static T WarpSum<T>(T value) where T : unmanaged, INumber<T> =>
        Warp.Shuffle(BlockReduce.Warp(value, new SumOp<T>()), 0);
}

using System.Numerics;
using Dendrite.Gpu.Kernels.Reductions;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Norm;

/// <summary>
/// Batch-norm statistics and normalization over dense x [N, C, S] (see <see cref="ChannelArgs"/>). The statistics run
/// in three launches: per-chunk sums, per-chunk squared deviations from the mean (each chunk recomputes the mean
/// from the sums in the same order, so all agree), and a per-channel finish into Float64 mean and variance. The
/// chunk kernels come as a per-thread version (serial, barrier-free) and a per-group version (shuffle trees).
/// </summary>
internal static class BatchNormKernels
{
    /// <summary>sums[c·Chunks + j] = Σ of chunk j of channel c, one thread per chunk.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void SumsThread<T>(ArrayView<T> x, ArrayView<T> sums, ChannelArgs a) where T : unmanaged, INumber<T>
    {
        int stride = Grid.DimX * Group.DimX;
        for (int item = Grid.GlobalIndex.X; item < a.C * a.Chunks; item += stride)
        {
            int c = item / a.Chunks, j = item - c * a.Chunks;
            T acc = T.Zero;
            for (int m = a.ChunkStart(j); m < a.ChunkEnd(j); m++)
                acc += x[a.Address(m, c)];
            sums[item] = acc;
        }
    }

    /// <summary>sums[c·Chunks + j] = Σ of chunk j of channel c, one group per chunk.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void SumsGroup<T>(ArrayView<T> x, ArrayView<T> sums, ChannelArgs a) where T : unmanaged, INumber<T>
    {
        var scratch = SharedMemory.Allocate<T>(BlockReduce.MaxWarps);
        for (int item = Grid.IdxX; item < a.C * a.Chunks; item += Grid.DimX)
        {
            int c = item / a.Chunks, j = item - c * a.Chunks;
            T acc = T.Zero;
            for (int m = a.ChunkStart(j) + Group.IdxX; m < a.ChunkEnd(j); m += Group.DimX)
                acc += x[a.Address(m, c)];
            acc = BlockReduce.Group(acc, scratch, new SumOp<T>());
            if (Group.IdxX == 0)
                sums[item] = acc;
        }
    }

    /// <summary>squares[c·Chunks + j] = Σ (x − μ_c)² over chunk j, μ_c = (Σ_j sums[c, j]) / count in T; one thread per chunk.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void DeviationsThread<T>(ArrayView<T> x, ArrayView<T> sums, ArrayView<T> squares, ChannelArgs a, T count)
        where T : unmanaged, INumber<T>
    {
        int stride = Grid.DimX * Group.DimX;
        for (int item = Grid.GlobalIndex.X; item < a.C * a.Chunks; item += stride)
        {
            int c = item / a.Chunks, j = item - c * a.Chunks;
            T mu = Mean(sums, c, a.Chunks, count), acc = T.Zero;
            for (int m = a.ChunkStart(j); m < a.ChunkEnd(j); m++)
            {
                T d = x[a.Address(m, c)] - mu;
                acc += d * d;
            }
            squares[item] = acc;
        }
    }

    /// <summary>squares[c·Chunks + j] = Σ (x − μ_c)² over chunk j (see <see cref="DeviationsThread{T}"/>); one group per chunk.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void DeviationsGroup<T>(ArrayView<T> x, ArrayView<T> sums, ArrayView<T> squares, ChannelArgs a, T count)
        where T : unmanaged, INumber<T>
    {
        var scratch = SharedMemory.Allocate<T>(BlockReduce.MaxWarps);
        for (int item = Grid.IdxX; item < a.C * a.Chunks; item += Grid.DimX)
        {
            int c = item / a.Chunks, j = item - c * a.Chunks;
            T mu = Mean(sums, c, a.Chunks, count), acc = T.Zero;
            for (int m = a.ChunkStart(j) + Group.IdxX; m < a.ChunkEnd(j); m += Group.DimX)
            {
                T d = x[a.Address(m, c)] - mu;
                acc += d * d;
            }
            acc = BlockReduce.Group(acc, scratch, new SumOp<T>());
            if (Group.IdxX == 0)
                squares[item] = acc;
        }
    }

    /// <summary>
    /// Per channel: mean[c] = μ_c widened to double, variance[c] = (Σ_j squares[c, j]) widened / count (in double),
    /// as the CPU (the sums in T, the division in double).
    /// </summary>
    [GpuKernel]
    public static void Finish<T, TReal>(ArrayView<T> sums, ArrayView<T> squares, ArrayView<double> mean, ArrayView<double> variance,
        ChannelArgs a, T count) where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        int stride = Grid.DimX * Group.DimX;
        double m = (double)a.N * a.S;
        for (int c = Grid.GlobalIndex.X; c < a.C; c += stride)
        {
            T sq = T.Zero;
            for (int j = 0; j < a.Chunks; j++)
                sq += squares[c * a.Chunks + j];
            mean[c] = default(TReal).ToDouble(Mean(sums, c, a.Chunks, count));
            variance[c] = default(TReal).ToDouble(sq) / m;
        }
    }

    /// <summary>
    /// y = x·a_c + b_c with a_c = invStd_c·γ_c and b_c = β_c − mean_c·a_c computed in double and rounded to T
    /// (γ = 1 and β = 0 when absent); one thread per element.
    /// </summary>
    [GpuKernel]
    public static void Normalize<T, TReal>(ArrayView<T> x, ArrayView<T> y, ArrayView<double> mean, ArrayView<double> invStd,
        ArrayView<double> gamma, ArrayView<double> beta, ChannelArgs a) where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        int total = a.N * a.C * a.S;
        int stride = Grid.DimX * Group.DimX;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int c = e / a.S % a.C;
            double scale = invStd[c] * (a.HasGamma != 0 ? gamma[c] : 1.0);
            double shift = (a.HasBeta != 0 ? beta[c] : 0.0) - mean[c] * scale;
            y[e] = x[e] * default(TReal).FromDouble(scale) + default(TReal).FromDouble(shift);
        }
    }

    // μ_c = (Σ_j sums[c, j]) / count in T, in chunk order (every caller gets the same bits).
    private static T Mean<T>(ArrayView<T> sums, int c, int chunks, T count) where T : unmanaged, INumber<T>
    {
        T s = T.Zero;
        for (int j = 0; j < chunks; j++)
            s += sums[c * chunks + j];
        return s / count;
    }
}

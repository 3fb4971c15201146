using System.Numerics;
using Dendrite.Gpu.Kernels.Reductions;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Norm;

/// <summary>
/// Batch-norm backward over dense x, g [N, C, S] (see <see cref="ChannelArgs"/>): per-chunk Σg and Σg·(x − μ_c) in T
/// (a per-thread and a per-group version), a per-channel finish into Float64 sumG and sumGxhat, and the input
/// gradient dx = a·g + b·x + d per element with the coefficients computed in double from those sums.
/// </summary>
internal static class BatchNormBackwardKernels
{
    /// <summary>sumsG / sumsGx [c·Chunks + j] = Σ g and Σ g·(x − μ_c) over chunk j (μ_c = mean[c] rounded to T); one thread per chunk.</summary>
    [GpuKernel]
    public static void SumsThread<T, TReal>(ArrayView<T> x, ArrayView<T> g, ArrayView<double> mean, ArrayView<T> sumsG, ArrayView<T> sumsGx,
        ChannelArgs a) where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        int stride = Grid.DimX * Group.DimX;
        for (int item = Grid.GlobalIndex.X; item < a.C * a.Chunks; item += stride)
        {
            int c = item / a.Chunks, j = item - c * a.Chunks;
            T mu = default(TReal).FromDouble(mean[c]), sg = T.Zero, sgx = T.Zero;
            for (int m = a.ChunkStart(j); m < a.ChunkEnd(j); m++)
            {
                int at = a.Address(m, c);
                sg += g[at];
                sgx += g[at] * (x[at] - mu);
            }
            sumsG[item] = sg;
            sumsGx[item] = sgx;
        }
    }

    /// <summary>As <see cref="SumsThread{T, TReal}"/>, one group per chunk.</summary>
    [GpuKernel]
    public static void SumsGroup<T, TReal>(ArrayView<T> x, ArrayView<T> g, ArrayView<double> mean, ArrayView<T> sumsG, ArrayView<T> sumsGx,
        ChannelArgs a) where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        var scratch = SharedMemory.Allocate<T>(BlockReduce.MaxWarps);
        for (int item = Grid.IdxX; item < a.C * a.Chunks; item += Grid.DimX)
        {
            int c = item / a.Chunks, j = item - c * a.Chunks;
            T mu = default(TReal).FromDouble(mean[c]), sg = T.Zero, sgx = T.Zero;
            for (int m = a.ChunkStart(j) + Group.IdxX; m < a.ChunkEnd(j); m += Group.DimX)
            {
                int at = a.Address(m, c);
                sg += g[at];
                sgx += g[at] * (x[at] - mu);
            }
            sg = BlockReduce.Group(sg, scratch, new SumOp<T>());
            sgx = BlockReduce.Group(sgx, scratch, new SumOp<T>());
            if (Group.IdxX == 0)
            {
                sumsG[item] = sg;
                sumsGx[item] = sgx;
            }
        }
    }

    /// <summary>Per channel: sumG[c] = Σ_j sumsG[c, j] and sumGxhat[c] = (Σ_j sumsGx[c, j])·invStd[c], widened to double.</summary>
    [GpuKernel]
    public static void Finish<T, TReal>(ArrayView<T> sumsG, ArrayView<T> sumsGx, ArrayView<double> invStd, ArrayView<double> sumG,
        ArrayView<double> sumGxhat, ChannelArgs a) where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        int stride = Grid.DimX * Group.DimX;
        for (int c = Grid.GlobalIndex.X; c < a.C; c += stride)
        {
            T sg = T.Zero, sgx = T.Zero;
            for (int j = 0; j < a.Chunks; j++)
            {
                sg += sumsG[c * a.Chunks + j];
                sgx += sumsGx[c * a.Chunks + j];
            }
            sumG[c] = default(TReal).ToDouble(sg);
            sumGxhat[c] = default(TReal).ToDouble(sgx) * invStd[c];
        }
    }

    /// <summary>
    /// dx = g·a + (x·b + d) per element, a = γ_c·σ⁻¹_c and, in training (M = N·S), b = −a·σ⁻¹_c·sumGxhat_c/M,
    /// d = −a·sumG_c/M − b·μ_c (in double, then rounded to T); in evaluation b = d = 0.
    /// </summary>
    [GpuKernel]
    public static void InputGradient<T, TReal>(ArrayView<T> x, ArrayView<T> g, ArrayView<T> dx, ArrayView<double> mean,
        ArrayView<double> invStd, ArrayView<double> gamma, ArrayView<double> sumG, ArrayView<double> sumGxhat, ChannelArgs a)
        where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        int total = a.N * a.C * a.S;
        double m = (double)a.N * a.S;
        int stride = Grid.DimX * Group.DimX;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int c = e / a.S % a.C;
            double inv = invStd[c];
            double scale = (a.HasGamma != 0 ? gamma[c] : 1.0) * inv;
            double b = 0, d = 0;
            if (a.Training != 0)
            {
                b = -scale * inv * sumGxhat[c] / m;
                d = -scale * sumG[c] / m - b * mean[c];
            }
            T ta = default(TReal).FromDouble(scale), tb = default(TReal).FromDouble(b), td = default(TReal).FromDouble(d);
            dx[e] = g[e] * ta + (x[e] * tb + td);
        }
    }
}

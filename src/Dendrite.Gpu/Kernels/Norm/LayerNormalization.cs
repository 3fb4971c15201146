using System.Numerics;
using Dendrite.Gpu.Runtime;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Norm;

/// <summary>
/// Host entry points of layer normalization over the rows of dense x [rows, d], with per-row statistics in x's
/// dtype: one launch for the forward, one for the input gradient and one or two for the parameter gradients (column
/// sums over row chunks, combined in chunk order). Deterministic; nothing is read back to the host.
/// </summary>
internal static class LayerNormalization
{
    /// <summary>Threads the parameter-gradient column sums aim for on CUDA (d columns × row chunks).</summary>
    private const long ColumnThreads = 1 << 16;

    /// <summary>Rows a column-sum thread sums at least.</summary>
    private const int MinRowsPerChunk = 16;

    /// <summary>mean, invStd [rows] and y = (x − mean)·invStd·γ + β, γ and β optional [d].</summary>
    public static void Forward<T, TReal>(GpuDevice device, ArrayView<T> x, ArrayView<T>? gamma, ArrayView<T>? beta, int rows, int d, double eps,
        ArrayView<T> y, ArrayView<T> mean, ArrayView<T> invStd, NormPath path = NormPath.Auto)
        where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        if (rows == 0 || d == 0)
            return;
        var a = Args<T, TReal>(rows, d, gamma is not null, beta is not null);
        a.Eps = default(TReal).FromDouble(eps);
        bool warp = Collective(device, path);
        // An absent γ or β is passed as a valid view the kernel never reads.
        device.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, RowArgs<T>>(
            warp ? LayerNormKernels.ForwardWarp<T, TReal> : LayerNormKernels.ForwardThread<T, TReal>)(
            device.Stream, warp ? WarpConfig(device, rows) : device.GridStride(rows), x, gamma ?? x, beta ?? x, y, mean, invStd, a);
    }

    /// <summary>dx, dGamma = Σ_rows gy·x̂ and dBeta = Σ_rows gy, each overwritten, each skipped when null.</summary>
    public static void Backward<T, TReal>(GpuDevice device, ArrayView<T> x, ArrayView<T> gy, ArrayView<T>? gamma, ArrayView<T> mean,
        ArrayView<T> invStd, int rows, int d, ArrayView<T>? dx, ArrayView<T>? dGamma, ArrayView<T>? dBeta, NormPath path = NormPath.Auto)
        where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        if (d == 0)
            return;
        bool collective = Collective(device, path);
        var a = Args<T, TReal>(rows, d, gamma is not null, false);
        if (dx is { } dxv && rows > 0)
            device.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, RowArgs<T>>(
                collective ? LayerNormKernels.InputGradientWarp : LayerNormKernels.InputGradientThread)(
                device.Stream, collective ? WarpConfig(device, rows) : device.GridStride(rows), x, gy, gamma ?? x, mean, invStd, dxv, a);
        if (dGamma is null && dBeta is null)
            return;
        if (rows == 0)
        {
            // Sums over no rows.
            if (dGamma is { } dg)
                device.Fill(dg, T.Zero);
            if (dBeta is { } db)
                device.Fill(db, T.Zero);
            return;
        }
        a.WantGamma = dGamma is null ? 0 : 1;
        a.WantBeta = dBeta is null ? 0 : 1;
        // On CUDA, split the rows so that there are enough threads; ilgpu-cpu sums each column in one thread.
        a.RowsPerChunk = collective ? (int)Math.Max(MinRowsPerChunk, (rows + ColumnThreads / d - 1) / Math.Max(1, ColumnThreads / d)) : rows;
        a.Chunks = (rows + a.RowsPerChunk - 1) / a.RowsPerChunk;
        var sums = device.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, RowArgs<T>>(
            LayerNormKernels.ColumnSums);
        var config = device.GridStride((long)a.Chunks * d);
        if (a.Chunks == 1)
        {
            sums(device.Stream, config, x, gy, mean, invStd, dGamma ?? x, dBeta ?? x, a);
            return;
        }
        using var gammaPartials = dGamma is null ? null : device.Allocate<T>((long)a.Chunks * d);
        using var betaPartials = dBeta is null ? null : device.Allocate<T>((long)a.Chunks * d);
        sums(device.Stream, config, x, gy, mean, invStd, gammaPartials?.View<T>() ?? x, betaPartials?.View<T>() ?? x, a);
        var combine = device.Kernel<ArrayView<T>, ArrayView<T>, int, int>(LayerNormKernels.CombineChunks);
        if (dGamma is { } dGammaView)
            combine(device.Stream, device.GridStride(d), gammaPartials!.View<T>(), dGammaView, a.Chunks, d);
        if (dBeta is { } dBetaView)
            combine(device.Stream, device.GridStride(d), betaPartials!.View<T>(), dBetaView, a.Chunks, d);
    }

    private static RowArgs<T> Args<T, TReal>(int rows, int d, bool hasGamma, bool hasBeta)
        where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T> => new()
    {
        Rows = rows, D = d, HasGamma = hasGamma ? 1 : 0, HasBeta = hasBeta ? 1 : 0, Count = default(TReal).FromDouble(d),
    };

    private static bool Collective(GpuDevice device, NormPath path) =>
        path == NormPath.Collective || (path == NormPath.Auto && !device.IsCpu);

    // One warp per row: groups of ReductionGroupSize threads, striding over the rows by warps.
    private static KernelConfig WarpConfig(GpuDevice device, int rows)
    {
        int group = Math.Min(device.ReductionGroupSize, 256), warps = group / device.WarpSize;
        long groups = Math.Clamp((rows + warps - 1) / warps, 1, device.IsCpu ? 2 : device.Multiprocessors * 16L);
        return device.Grouped(groups, group);
    }
}

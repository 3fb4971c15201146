using System.Numerics;
using Dendrite.Gpu.Runtime;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Norm;

/// <summary>
/// Host entry points of batch normalization over dense x [N, C, S] with Float64 per-channel statistics (the
/// formulas of <c>IBackend.BatchNorm*</c>): every reduction runs on the device in a fixed order (per-chunk
/// partials, then a per-channel finish), so results are deterministic and nothing is read back to the host.
/// </summary>
internal static class BatchNormalization
{
    /// <summary>Elements per chunk of the per-thread kernels (a thread sums at most this many, then the chunks are summed).</summary>
    public const int ThreadChunk = 4096;

    /// <summary>Per channel: mean and biased variance (two passes in T) into Float64 <paramref name="mean"/> and <paramref name="variance"/>.</summary>
    public static void Statistics<T, TReal>(GpuDevice device, ArrayView<T> x, int n, int c, int s, ArrayView<double> mean,
        ArrayView<double> variance, NormPath path = NormPath.Auto) where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        if (c == 0)
            return;
        bool collective = Collective(device, path);
        var a = Layout(device, n, c, s, collective);
        T count = default(TReal).FromDouble((double)n * s);
        int items = c * a.Chunks;
        using var sumBuffer = device.Allocate<T>(items);
        using var squareBuffer = device.Allocate<T>(items);
        ArrayView<T> sums = sumBuffer.View<T>(), squares = squareBuffer.View<T>();
        if (collective)
        {
            var config = device.Grouped(Groups(device, items), GroupSize(device));
            device.Kernel<ArrayView<T>, ArrayView<T>, ChannelArgs>(BatchNormKernels.SumsGroup)(device.Stream, config, x, sums, a);
            device.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ChannelArgs, T>(BatchNormKernels.DeviationsGroup)(
                device.Stream, config, x, sums, squares, a, count);
        }
        else
        {
            var config = device.GridStride(items);
            device.Kernel<ArrayView<T>, ArrayView<T>, ChannelArgs>(BatchNormKernels.SumsThread)(device.Stream, config, x, sums, a);
            device.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ChannelArgs, T>(BatchNormKernels.DeviationsThread)(
                device.Stream, config, x, sums, squares, a, count);
        }
        device.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<double>, ArrayView<double>, ChannelArgs, T>(BatchNormKernels.Finish<T, TReal>)(
            device.Stream, device.GridStride(c), sums, squares, mean, variance, a, count);
    }

    /// <summary>y = x·a_c + b_c (a_c = σ⁻¹_c·γ_c, b_c = β_c − μ_c·a_c in double); γ and β are optional Float64 [C].</summary>
    public static void Normalize<T, TReal>(GpuDevice device, ArrayView<T> x, int n, int c, int s, ArrayView<double> mean,
        ArrayView<double> invStd, ArrayView<double>? gamma, ArrayView<double>? beta, ArrayView<T> y)
        where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        if (y.Length == 0)
            return;
        var a = new ChannelArgs { N = n, C = c, S = s, HasGamma = gamma is null ? 0 : 1, HasBeta = beta is null ? 0 : 1 };
        // An absent operand is passed as a valid view the kernel never reads.
        device.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ChannelArgs>(
            BatchNormKernels.Normalize<T, TReal>)(device.Stream, device.GridStride(y.Length), x, y, mean, invStd, gamma ?? mean, beta ?? mean, a);
    }

    /// <summary>
    /// Backward: per channel sumG = Σg and sumGxhat = Σg·(x − μ)·σ⁻¹ (Float64 [C]) and, when <paramref name="dx"/> is
    /// given, dx = a·g + b·x + d (training) or a·g (evaluation).
    /// </summary>
    public static void Backward<T, TReal>(GpuDevice device, ArrayView<T> x, ArrayView<T> g, int n, int c, int s, ArrayView<double> mean,
        ArrayView<double> invStd, ArrayView<double>? gamma, bool training, ArrayView<double> sumG, ArrayView<double> sumGxhat,
        ArrayView<T>? dx, NormPath path = NormPath.Auto) where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        if (c == 0)
            return;
        bool collective = Collective(device, path);
        var a = Layout(device, n, c, s, collective);
        a.HasGamma = gamma is null ? 0 : 1;
        a.Training = training ? 1 : 0;
        int items = c * a.Chunks;
        using var gBuffer = device.Allocate<T>(items);
        using var gxBuffer = device.Allocate<T>(items);
        ArrayView<T> sumsG = gBuffer.View<T>(), sumsGx = gxBuffer.View<T>();
        var config = collective ? device.Grouped(Groups(device, items), GroupSize(device)) : device.GridStride(items);
        device.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<double>, ArrayView<T>, ArrayView<T>, ChannelArgs>(
            collective ? BatchNormBackwardKernels.SumsGroup<T, TReal> : BatchNormBackwardKernels.SumsThread<T, TReal>)(
            device.Stream, config, x, g, mean, sumsG, sumsGx, a);
        device.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ChannelArgs>(
            BatchNormBackwardKernels.Finish<T, TReal>)(device.Stream, device.GridStride(c), sumsG, sumsGx, invStd, sumG, sumGxhat, a);
        if (dx is { } d && d.Length > 0)
            device.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<double>, ArrayView<double>, ArrayView<double>,
                ArrayView<double>, ArrayView<double>, ChannelArgs>(BatchNormBackwardKernels.InputGradient<T, TReal>)(
                device.Stream, device.GridStride(d.Length), x, g, d, mean, invStd, gamma ?? mean, sumG, sumGxhat, a);
    }

    private static bool Collective(GpuDevice device, NormPath path) =>
        path == NormPath.Collective || (path == NormPath.Auto && !device.IsCpu);

    // Chunks per channel: per-thread kernels sum at most ThreadChunk elements each; per-group kernels split a
    // channel so that all channels together give a few groups per multiprocessor, each group a few elements per thread.
    private static ChannelArgs Layout(GpuDevice device, int n, int c, int s, bool collective)
    {
        int m = n * s;
        int chunk = ThreadChunk;
        if (collective)
        {
            long wanted = Math.Max(1, (device.Multiprocessors * 8L + c - 1) / c);
            chunk = (int)Math.Max(4L * GroupSize(device), (m + wanted - 1) / wanted);
        }
        int chunks = m == 0 ? 1 : (m + chunk - 1) / chunk;
        return new ChannelArgs { N = n, C = c, S = s, ChunkLength = chunk, Chunks = chunks };
    }

    private static int GroupSize(GpuDevice device) => Math.Min(device.ReductionGroupSize, 256);

    private static long Groups(GpuDevice device, int items) => Math.Clamp(items, 1, device.IsCpu ? 2 : device.Multiprocessors * 8L);
}

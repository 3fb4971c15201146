using System.Diagnostics;
using System.Globalization;
using Dendrite.Gpu.Kernels.Gemm;
using Dendrite.Gpu.Kernels.Random;
using Dendrite.Gpu.Runtime;

namespace Dendrite.Gpu.Bench;

/// <summary>One timed GEMM size.</summary>
/// <param name="N">The matrices are N×N (float32, row-major, no transposes).</param>
/// <param name="Path">The kernel that ran.</param>
/// <param name="MedianMilliseconds">Median wall time of one GEMM, launch to synchronize.</param>
/// <param name="GigaflopsPerSecond">2·N³ / median time.</param>
/// <param name="RelativeError">‖C·x − A·(B·x)‖∞ / ‖A·(B·x)‖∞ for a random x (the product checked by other kernels).</param>
internal sealed record GemmBenchmarkResult(int N, GemmPath Path, double MedianMilliseconds, double GigaflopsPerSecond, double RelativeError);

/// <summary>
/// The float32 GEMM timing of <c>scripts/gpu-check.sh</c>: for each N, C = A·B with A, B uniform in [−1, 1)
/// filled on the device, a warm-up (which also compiles the kernel), then the median of several timed runs, each
/// from launch to <see cref="GpuDevice.Synchronize"/>. Each result is checked against A·(B·x) computed with the
/// barrier-free kernel, so a fast wrong kernel cannot pass unnoticed.
/// </summary>
internal static class GemmBenchmark
{
    /// <summary>The sizes the issue asks for.</summary>
    public static readonly int[] DefaultSizes = [1024, 2048, 4096, 8192];

    /// <summary>Times float32 GEMM on <paramref name="device"/> for each size; writes one line per size to <paramref name="log"/>.</summary>
    public static IReadOnlyList<GemmBenchmarkResult> Run(GpuDevice device, IEnumerable<int>? sizes = null, int warmups = 2,
        int repeats = 5, GemmPath path = GemmPath.Auto, TextWriter? log = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var results = new List<GemmBenchmarkResult>();
        foreach (int n in sizes ?? DefaultSizes)
        {
            long count = (long)n * n;
            using var a = device.Allocate<float>(count);
            using var b = device.Allocate<float>(count);
            using var c = device.Allocate<float>(count);
            RandomFill.Uniform(device, a.View<float>(), seed: 1, counter: 0, -1, 1);
            RandomFill.Uniform(device, b.View<float>(), seed: 2, counter: 0, -1, 1);
            var chosen = Gemm.Choose(device, n, n, n, 1, path);
            void Once() => Gemm.Run(device, false, false, n, n, n, 1f, a.View<float>(), n, b.View<float>(), n, 0f, c.View<float>(), n, chosen);

            for (int i = 0; i < warmups; i++)
                Once();
            device.Synchronize();
            var times = new double[repeats];
            for (int i = 0; i < repeats; i++)
            {
                var clock = Stopwatch.StartNew();
                Once();
                device.Synchronize();
                times[i] = clock.Elapsed.TotalMilliseconds;
            }
            Array.Sort(times);
            double median = repeats % 2 == 1 ? times[repeats / 2] : (times[repeats / 2 - 1] + times[repeats / 2]) / 2;
            double error = Check(device, n, a, b, c);
            var result = new GemmBenchmarkResult(n, chosen, median, 2.0 * n * n * (double)n / (median * 1e6), error);
            results.Add(result);
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{device.Name} sgemm n={n,5} {chosen,-8} {median,10:F3} ms {result.GigaflopsPerSecond,10:F1} GFLOP/s  rel.err {error:E1}"));
        }
        return results;
    }

    // ‖C·x − A·(B·x)‖∞ / ‖A·(B·x)‖∞ with the matrix-vector products on the barrier-free kernel.
    private static double Check(GpuDevice device, int n, Memory.DeviceBuffer a, Memory.DeviceBuffer b, Memory.DeviceBuffer c)
    {
        using var x = device.Allocate<float>(n);
        using var bx = device.Allocate<float>(n);
        using var abx = device.Allocate<float>(n);
        using var cx = device.Allocate<float>(n);
        RandomFill.Uniform(device, x.View<float>(), seed: 3, counter: 0, -1, 1);
        Gemm.Run(device, false, false, n, 1, n, 1f, b.View<float>(), n, x.View<float>(), 1, 0f, bx.View<float>(), 1, GemmPath.Simple);
        Gemm.Run(device, false, false, n, 1, n, 1f, a.View<float>(), n, bx.View<float>(), 1, 0f, abx.View<float>(), 1, GemmPath.Simple);
        Gemm.Run(device, false, false, n, 1, n, 1f, c.View<float>(), n, x.View<float>(), 1, 0f, cx.View<float>(), 1, GemmPath.Simple);
        var expected = device.Download(abx.View<float>());
        var actual = device.Download(cx.View<float>());
        double worst = 0, scale = 0;
        for (int i = 0; i < n; i++)
        {
            worst = Math.Max(worst, Math.Abs((double)actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs((double)expected[i]));
        }
        return scale == 0 ? worst : worst / scale;
    }
}

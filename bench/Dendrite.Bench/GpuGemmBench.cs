using System.Globalization;
using Dendrite.Gpu.Bench;
using Dendrite.Gpu.Runtime;

namespace Dendrite.Bench;

/// <summary>
/// float32 GEMM GFLOP/s on a GPU device (for scripts/gpu-check.sh): <c>gpu-gemm --device cuda --n 1024 2048 4096 8192</c>.
/// One JSON line per size, each result checked against A·(B·x).
/// </summary>
internal static class GpuGemmBench
{
    public static int Run(string[] args)
    {
        string device = Workloads.Args.Text(args, "--device") ?? "cuda";
        int[] sizes = Workloads.Args.IntList(args, "--n") ?? GemmBenchmark.DefaultSizes;
        int repeats = Workloads.Args.Int(args, "--reps") ?? 5;
        var gpu = GpuRuntime.Get(device);
        foreach (var r in GemmBenchmark.Run(gpu, sizes, repeats: repeats, log: Console.Error))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"workload\":\"gpu_gemm\",\"device\":\"{gpu.Name}\",\"n\":{r.N},\"kernel\":\"{r.Path}\",\"ms\":{r.MedianMilliseconds:F3},\"gflops\":{r.GigaflopsPerSecond:F1},\"rel_err\":{r.RelativeError:E2}}}"));
        return 0;
    }
}

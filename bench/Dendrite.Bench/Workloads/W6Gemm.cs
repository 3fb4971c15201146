using System.Text.Json.Nodes;
using Dendrite.Backends.Cpu;
using Dendrite.NN;

namespace Dendrite.Bench.Workloads;

/// <summary>
/// W6 (shared/peers/pytorch/w6_gemm.py): float32 n×n GEMM into a preallocated C (the twin's
/// <c>torch.mm(a, b, out=c)</c>; here <see cref="Gemm.Sgemm"/>), GFLOP/s of the median call, and one
/// Linear(784, 256) on a batch of 256: forward, forward+backward (dW, db) and forward+backward (dW, db, dX).
/// Keys: <c>dendrite_n{n}</c>, <c>dendrite_best_n{n}</c> (the twin's <c>torch_n{n}</c>), the twin's
/// <c>linear_*_ms</c> and <c>linear_*_gflops</c>, and a <c>gemm</c> list of {n, gflops, best_gflops}.
/// </summary>
public static class W6Gemm
{
    /// <summary>The twin's workload name.</summary>
    public const string Name = "w6_gemm";

    private const int GemmSeed = 40, InitSeed = 41;
    private static readonly int[] Sizes = [128, 256, 512, 1024, 2048];

    /// <summary>The numeric keys summarized over repetitions.</summary>
    public static string[] SummaryKeys =>
    [
        .. Sizes.Select(n => $"dendrite_n{n}"), .. Sizes.Select(n => $"dendrite_best_n{n}"),
        "linear_fwd_ms", "linear_fwdbwd_ms", "linear_fwdbwd_dx_ms", "linear_fwd_gflops", "linear_fwdbwd_gflops", "linear_fwdbwd_dx_gflops",
    ];

    /// <summary>
    /// Runs the measurements at <paramref name="threads"/> threads. Any override (e.g. <c>--steps 0</c>) makes it a
    /// quick check: GEMMs above 128 are skipped and each case is timed over a few calls only.
    /// </summary>
    public static JsonObject Run(int threads, WorkloadOptions options)
    {
        Threads.Count = threads;
        var info = new JsonObject { ["workload"] = Name, ["threads"] = threads };
        var rng = new Generator(GemmSeed);
        var gemm = new JsonArray();
        foreach (int n in Sizes)
        {
            // Drawn for every size, even skipped ones, so later draws stay on the twin's stream.
            var a = new float[n * n];
            var b = new float[n * n];
            rng.FillUniform(a, -1, 1);
            rng.FillUniform(b, -1, 1);
            if (options.IsShortened && n > 128)
                continue;
            var c = new float[n * n];
            var (median, best) = Time(() => Gemm.Sgemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n), options.IsShortened);
            double flop = 2.0 * n * n * n;
            info[$"dendrite_n{n}"] = Math.Round(flop / median / 1e9, 2);
            info[$"dendrite_best_n{n}"] = Math.Round(flop / best / 1e9, 2);
            gemm.Add(new JsonObject { ["n"] = n, ["gflops"] = Math.Round(flop / median / 1e9, 2), ["best_gflops"] = Math.Round(flop / best / 1e9, 2) });
        }
        info["gemm"] = gemm;

        var lin = new Linear(784, 256, generator: new Generator(InitSeed));
        var x = Init.Uniform_(Tensor.Empty(256, 784), -1, 1, rng);
        var gy = Init.Uniform_(Tensor.Empty(256, 256), -1, 1, rng);
        var xg = x.Clone();
        xg.RequiresGrad = true;

        double mmFlop = 2.0 * 256 * 784 * 256;
        var cases = new (string Key, Action Call, double Flop)[]
        {
            ("linear_fwd", () => { lin.ZeroGrad(setToNone: true); lin.Call(x); }, mmFlop),
            ("linear_fwdbwd", () => { lin.ZeroGrad(setToNone: true); lin.Call(x).Backward(gy); }, 2 * mmFlop),
            ("linear_fwdbwd_dx", () => { lin.ZeroGrad(setToNone: true); xg.Grad = null; lin.Call(xg).Backward(gy); }, 3 * mmFlop),
        };
        foreach (var (key, call, flop) in cases)
        {
            var (median, _) = Time(call, options.IsShortened);
            info[key + "_ms"] = Math.Round(1e3 * median, 4);
            info[key + "_gflops"] = Math.Round(flop / median / 1e9, 2);
        }
        return info;
    }

    // Median and fastest call in seconds: the twin's 3 warm-up calls, then >= 10 calls and >= 0.5 s (quick: 1 + 3 calls).
    private static (double Median, double Best) Time(Action call, bool quick)
    {
        if (!quick)
            return GemmBench.Time(call);
        call();
        var times = new double[3];
        for (int i = 0; i < times.Length; i++)
        {
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            call();
            times[i] = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        return (Stats.Median(times), times.Min());
    }
}

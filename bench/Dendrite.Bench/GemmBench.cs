using System.Diagnostics;
using System.Globalization;
using Dendrite.Backends.Cpu;

namespace Dendrite.Bench;

/// <summary>
/// W6 GEMM: float32 n×n · n×n into a preallocated C, measured like shared/peers/pytorch/w6_gemm.py
/// (3 warm-up calls, then ≥ 10 calls and ≥ 0.5 s, GFLOP/s = 2n³ / median call).
/// Options: <c>--threads 1 2</c>, <c>--n 512 1024</c>.
/// </summary>
internal static class GemmBench
{
    private static readonly int[] DefaultSizes = [128, 256, 512, 1024, 2048];
    private const int Seed = 40, Warmup = 3, MinCalls = 10;
    private const double MinSeconds = 0.5;

    /// <summary>Runs the benchmark; one JSON line per (threads, n).</summary>
    public static int Run(string[] args)
    {
        int[] threadCounts = IntList(args, "--threads") ?? [Threads.Count];
        int[] sizes = IntList(args, "--n") ?? DefaultSizes;
        foreach (int threads in threadCounts)
        {
            Threads.Count = threads;
            // Same draws as the Python twin: one stream, A then B for each n in order.
            var rng = new SplitMix64(Seed);
            foreach (int n in DefaultSizes)
            {
                float[] a = rng.UniformSingle(n * n, -1, 1), b = rng.UniformSingle(n * n, -1, 1);
                if (!sizes.Contains(n))
                    continue;
                var c = new float[n * n];
                var (median, best) = Time(() => Gemm.Sgemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n));
                double flop = 2.0 * n * n * n;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"workload\":\"w6_gemm\",\"n\":{n},\"threads\":{threads},\"gflops\":{flop / median / 1e9:F2},\"best_gflops\":{flop / best / 1e9:F2}}}"));
            }
        }
        return 0;
    }

    /// <summary>Median and fastest call time in seconds.</summary>
    internal static (double Median, double Best) Time(Action call)
    {
        for (int i = 0; i < Warmup; i++)
            call();
        var times = new List<double>();
        long start = Stopwatch.GetTimestamp();
        while (times.Count < MinCalls || Stopwatch.GetElapsedTime(start).TotalSeconds < MinSeconds)
        {
            long t0 = Stopwatch.GetTimestamp();
            call();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        times.Sort();
        int h = times.Count / 2;
        double median = times.Count % 2 == 1 ? times[h] : 0.5 * (times[h - 1] + times[h]);
        return (median, times[0]);
    }

    private static int[]? IntList(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        if (at < 0)
            return null;
        var values = new List<int>();
        for (int i = at + 1; i < args.Length && !args[i].StartsWith("--", StringComparison.Ordinal); i++)
            values.Add(int.Parse(args[i], CultureInfo.InvariantCulture));
        return values.ToArray();
    }
}

using System.Diagnostics;
using System.Globalization;
using Dendrite.Backends.Cpu;

namespace Dendrite.Bench;

/// <summary>
/// W6 GEMM: float32 n×n · n×n into a preallocated C, measured like shared/peers/pytorch/w6_gemm.py
/// (3 warm-up calls, then ≥ 10 calls and ≥ 0.5 s, GFLOP/s = 2n³ / median call).
/// Options: <c>--threads 1 2</c>, <c>--n 512 1024</c>; <c>--small</c> instead times the small,
/// odd shapes a training step runs (ns per call); <c>--dispatch</c> times an empty parallel-for;
/// <c>--f64</c> times Dgemm on the same data instead (workload <c>gemm_f64</c>); <c>--shape NT 256 256 784</c> times
/// one float product op(A)·op(B) of m×k by k×n (N: as stored, T: transposed) instead of the small set.
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
        bool f64 = args.Contains("--f64");
        if (args.Contains("--dispatch"))
        {
            // Cost of one CpuParallel.For with an empty body (what a small threaded call pays).
            foreach (int threads in threadCounts)
            {
                Threads.Count = threads;
                var (median, best) = Time(() => CpuParallel.For(threads, static _ => { }));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"workload\":\"parallel_dispatch\",\"threads\":{threads},\"ns\":{median * 1e9:F0},\"best_ns\":{best * 1e9:F0}}}"));
            }
            return 0;
        }
        if (args.Contains("--small"))
        {
            RunSmall(threadCounts, SmallShapes);
            return 0;
        }
        int shapeAt = Array.IndexOf(args, "--shape");
        if (shapeAt >= 0)
        {
            if (shapeAt + 4 >= args.Length || args[shapeAt + 1].Length != 2 || args[shapeAt + 1].Any(ch => ch is not ('N' or 'T')))
                throw new ArgumentException("gemm --shape wants OP M N K, e.g. --shape NT 256 256 784 (OP: N or T for A, then for B).");
            string op = args[shapeAt + 1];
            int[] mnk = [.. args.Skip(shapeAt + 2).Take(3).Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
            RunSmall(threadCounts, [(op[0] == 'T', op[1] == 'T', mnk[0], mnk[1], mnk[2])]);
            return 0;
        }
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
                if (f64)
                {
                    double[] ad = Array.ConvertAll(a, x => (double)x), bd = Array.ConvertAll(b, x => (double)x);
                    var cd = new double[n * n];
                    (median, best) = Time(() => Gemm.Dgemm(false, false, n, n, n, 1, ad, n, bd, n, 0, cd, n));
                }
                double flop = 2.0 * n * n * n;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"workload\":\"{(f64 ? "gemm_f64" : "w6_gemm")}\",\"n\":{n},\"threads\":{threads},\"gflops\":{flop / median / 1e9:F2},\"best_gflops\":{flop / best / 1e9:F2}}}"));
            }
        }
        return 0;
    }

    // (transA, transB, m, n, k): MLP-style layers forward (NT: x·Wᵀ) and backward (TN: dW = gyᵀ·x, NN: dx = gy·W).
    private static readonly (bool TA, bool TB, int M, int N, int K)[] SmallShapes =
    [
        (false, false, 640, 5, 2), (false, false, 100, 100, 100), (false, false, 256, 10, 784),
        (false, true, 256, 10, 784), (false, true, 256, 256, 784), (true, false, 256, 784, 256),
        (false, false, 256, 784, 256), (false, true, 64, 32, 16), (false, false, 32, 32, 32), (false, false, 48, 48, 48),
        (false, false, 64, 64, 64), (false, false, 100, 16, 100), (false, false, 96, 17, 96),
    ];

    private static void RunSmall(int[] threadCounts, (bool TA, bool TB, int M, int N, int K)[] shapes)
    {
        var rng = new SplitMix64(Seed);
        foreach (int threads in threadCounts)
        {
            Threads.Count = threads;
            foreach (var (ta, tb, m, n, k) in shapes)
            {
                float[] a = rng.UniformSingle(m * k, -1, 1), b = rng.UniformSingle(k * n, -1, 1);
                var c = new float[m * n];
                int lda = ta ? m : k, ldb = tb ? k : n;
                var (median, best) = Time(() => Gemm.Sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"workload\":\"gemm_small\",\"op\":\"{(ta ? 'T' : 'N')}{(tb ? 'T' : 'N')}\",\"m\":{m},\"n\":{n},\"k\":{k},\"threads\":{threads},\"ns\":{median * 1e9:F0},\"best_ns\":{best * 1e9:F0},\"gflops\":{2.0 * m * n * k / median / 1e9:F2}}}"));
            }
        }
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

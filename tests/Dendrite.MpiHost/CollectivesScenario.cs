using Dendrite.Distributed;

namespace Dendrite.MpiHost;

/// <summary>Every collective of <see cref="ProcessGroup"/> with rank-dependent values whose results are known.</summary>
internal static class CollectivesScenario
{
    public static int Run(string[] args)
    {
        using var group = ProcessGroup.Init();
        int r = group.Rank, n = group.Size;
        long ranks = (long)n * (n - 1) / 2;

        var f = new float[] { r, r + 0.5f, 1 };
        group.AllReduce<float>(f);
        Expect(f[0] == ranks && f[1] == ranks + 0.5f * n && f[2] == n, "float32 sum", f);

        var d = new double[] { r * 1e-3, 1e300 * (r == 0 ? 1 : 0) };
        group.AllReduce<double>(d);
        Expect(Math.Abs(d[0] - ranks * 1e-3) < 1e-15 && d[1] == 1e300, "float64 sum", d);

        var l = new long[] { (1L << 40) + r, -r };
        group.AllReduce<long>(l);
        Expect(l[0] == (1L << 40) * n + ranks && l[1] == -ranks, "int64 sum", l);

        var m = new int[] { r, -r };
        group.AllReduce<int>(m, ReduceOp.Max);
        Expect(m[0] == n - 1 && m[1] == 0, "int32 max", m);
        var mn = new double[] { r + 1.0 };
        group.AllReduce<double>(mn, ReduceOp.Min);
        Expect(mn[0] == 1.0, "float64 min", mn);

        var b = new double[] { r, r * 2 };
        group.Broadcast<double>(b, root: n - 1);
        Expect(b[0] == n - 1 && b[1] == 2 * (n - 1), "broadcast from the last rank", b);

        long[] mine = [r * 10L, r * 10L + 1];
        var all = new long[2 * n];
        group.AllGather<long>(mine, all);
        for (int k = 0; k < n; k++)
            Expect(all[2 * k] == k * 10L && all[2 * k + 1] == k * 10L + 1, "all-gather", all);

        var bytes = group.BroadcastBytes(r == 0 ? [.. Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7))] : null);
        Expect(bytes.Length == 100_000 && bytes[12345] == unchecked((byte)(12345 * 7)), "broadcast of bytes", bytes.Take(3).ToArray());

        // .NET still turns a null dereference into an exception after MPI started (MPI's network layer must not take
        // the SIGSEGV handler).
        string? nothing = args.Length > 100 ? "x" : null;
        try
        {
            _ = nothing!.Length;
            throw new InvalidOperationException("a null dereference did not throw");
        }
        catch (NullReferenceException)
        {
        }

        group.Barrier();
        // Whether an MPI library is mapped into this process (a world of one must not need one).
        bool mapped = File.Exists("/proc/self/maps") && File.ReadAllText("/proc/self/maps").Contains("libmpich", StringComparison.Ordinal);
        Console.WriteLine($"collectives ok on rank {r} of {n} ({group.Library}; libmpich {(mapped ? "loaded" : "not loaded")})");
        return 0;
    }

    private static void Expect<T>(bool ok, string what, T[] got)
    {
        if (!ok)
            throw new InvalidOperationException($"{what}: got [{string.Join(", ", got)}]");
    }
}

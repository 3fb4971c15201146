using System.Numerics;
using Dendrite.Gpu.Kernels.Gemm;
using Dendrite.Gpu.Runtime;

namespace Dendrite.Tests.Gpu;

[Trait("Category", "Gpu")]
public sealed class GemmKernelTests
{
    private sealed record Case(bool TransA, bool TransB, int M, int N, int K, int Batch = 1, int Pad = 0,
        bool BroadcastA = false, bool BroadcastB = false, double Alpha = 1, double Beta = 0, long Offset = 0);

    private static T[] Random<T>(Random rng, long count) where T : IFloatingPointIeee754<T> =>
        Enumerable.Range(0, (int)count).Select(_ => T.CreateChecked(rng.NextDouble() * 2 - 1)).ToArray();

    /// <summary>
    /// Runs one GEMM on the device and checks every element of every C against a double-precision reference,
    /// and that nothing outside the C matrices (leading-dimension padding, the offset prefix, batch gaps) changed.
    /// </summary>
    private static void Check<T>(GpuDevice device, Case c, GemmPath path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(c.M * 7919 + c.N * 131 + c.K * 17 + c.Batch);
        int aRows = c.TransA ? c.K : c.M, aCols = c.TransA ? c.M : c.K;
        int bRows = c.TransB ? c.N : c.K, bCols = c.TransB ? c.K : c.N;
        long lda = Math.Max(1, aCols) + c.Pad, ldb = Math.Max(1, bCols) + c.Pad, ldc = Math.Max(1, c.N) + c.Pad;
        long aSize = aRows * lda, bSize = bRows * ldb, cSize = c.M * ldc + c.Pad;   // gap between C batches
        long strideA = c.BroadcastA ? 0 : aSize, strideB = c.BroadcastB ? 0 : bSize, strideC = cSize;
        var a = Random<T>(rng, c.Offset + aSize * (c.BroadcastA ? 1 : c.Batch));
        var b = Random<T>(rng, c.Offset + bSize * (c.BroadcastB ? 1 : c.Batch));
        var cHost = Random<T>(rng, c.Offset + cSize * c.Batch);
        if (c.Beta == 0)
            Array.Fill(cHost, T.NaN, (int)c.Offset, cHost.Length - (int)c.Offset);   // beta = 0 must not read C
        var expected = (T[])cHost.Clone();
        for (int batch = 0; batch < c.Batch; batch++)
        for (int i = 0; i < c.M; i++)
        for (int j = 0; j < c.N; j++)
        {
            double sum = 0;
            for (int p = 0; p < c.K; p++)
            {
                long ai = c.Offset + batch * strideA + (c.TransA ? p * lda + i : i * lda + p);
                long bi = c.Offset + batch * strideB + (c.TransB ? j * ldb + p : p * ldb + j);
                sum += double.CreateChecked(a[ai]) * double.CreateChecked(b[bi]);
            }
            long ci = c.Offset + batch * strideC + i * ldc + j;
            double old = c.Beta == 0 ? 0 : double.CreateChecked(cHost[ci]);
            expected[ci] = T.CreateChecked(c.Alpha * sum + c.Beta * old);
        }

        using var da = device.Upload<T>(a);
        using var db = device.Upload<T>(b);
        using var dc = device.Upload<T>(cHost);
        Gemm.Run(device, c.TransA, c.TransB, c.M, c.N, c.K, T.CreateChecked(c.Alpha),
            da.View<T>(), c.Offset, lda, strideA, db.View<T>(), c.Offset, ldb, strideB,
            T.CreateChecked(c.Beta), dc.View<T>(), c.Offset, ldc, strideC, c.Batch, path);
        var actual = device.Download(dc.View<T>());

        double tolerance = (typeof(T) == typeof(float) ? 1e-5 : 1e-13) * Math.Sqrt(c.K + 1) * 4;
        for (long i = 0; i < expected.Length; i++)
        {
            double e = double.CreateChecked(expected[i]), g = double.CreateChecked(actual[i]);
            if (double.IsNaN(e))
                Assert.True(double.IsNaN(g), $"{c} {path}: element {i} outside C was written ({g})");
            else
                Assert.True(Math.Abs(e - g) <= tolerance * Math.Max(1, Math.Abs(e)), $"{c} {path}: element {i}: {g} vs {e}");
        }
    }

    private static readonly Case[] EdgeCases =
    [
        new(false, false, 1, 1, 1),
        new(false, false, 1, 9, 5),            // one row
        new(false, false, 9, 1, 5),            // one column (matrix-vector)
        new(false, false, 3, 4, 0, Beta: 0.5), // k = 0: C = beta·C
        new(true, false, 5, 6, 7, Alpha: 0, Beta: 2),
        new(false, true, 33, 17, 19, Pad: 3, Alpha: 0.5, Beta: -1.5),
        new(true, true, 17, 33, 9, Pad: 1),
        new(true, false, 13, 70, 21, Offset: 5),
        new(false, false, 6, 5, 4, Batch: 3, BroadcastB: true, Beta: 1),   // B shared by every batch (a linear layer)
        new(true, true, 5, 6, 7, Batch: 2, BroadcastA: true, Pad: 2),
    ];

    [Fact]
    public void SimpleKernelMatchesTheReference()
    {
        foreach (var c in EdgeCases)
        {
            Check<float>(GpuRuntime.IlgpuCpu, c, GemmPath.Simple);
            Check<double>(GpuRuntime.IlgpuCpu, c, GemmPath.Simple);
        }
    }

    [Fact]
    public void AutomaticChoiceOnIlgpuCpuIsTheBarrierFreeKernel()
    {
        Assert.Equal(GemmPath.Simple, Gemm.Choose(GpuRuntime.IlgpuCpu, 512, 512, 512, 1));
        Check<float>(GpuRuntime.IlgpuCpu, new Case(false, true, 40, 30, 20, Beta: 1), GemmPath.Auto);
    }

    // The tiled kernels synchronize the group at every k step, which ilgpu-cpu runs as OS context switches:
    // a handful of small shapes, each crossing tile edges in m, n and k.
    [Fact]
    public void Tiled64KernelMatchesTheReference()
    {
        Case[] cases =
        [
            new(false, false, 1, 1, 1),
            new(false, false, 70, 65, 20, Pad: 1, Beta: 0.25),   // 2×2 tiles, partial last k tile
            new(true, true, 9, 70, 8, Offset: 3),
            new(true, false, 64, 7, 17, Batch: 2, BroadcastA: true),
            new(false, true, 3, 4, 0, Beta: 0.5),
        ];
        foreach (var c in cases)
        {
            Check<float>(GpuRuntime.IlgpuCpu, c, GemmPath.Tiled64);
            Check<double>(GpuRuntime.IlgpuCpu, c, GemmPath.Tiled64);
        }
    }

    [Fact]
    public void Tiled128KernelMatchesTheReference()
    {
        // 256-thread groups start 256 OS threads, which every later launch of that accelerator wakes: use a private device.
        using var device = GpuRuntime.CreateIlgpuCpu();
        Check<float>(device, new Case(false, false, 130, 129, 12, Beta: -1), GemmPath.Tiled128);
        Check<double>(device, new Case(true, true, 20, 140, 9, Pad: 2, Alpha: 2), GemmPath.Tiled128);
        Check<float>(device, new Case(false, true, 5, 3, 17, Batch: 2, BroadcastB: true), GemmPath.Tiled128);
    }

    [Fact]
    public void InvalidArgumentsAreRejectedWithTheShape()
    {
        var device = GpuRuntime.IlgpuCpu;
        using var a = device.Allocate<float>(12);
        var v = a.View<float>();
        var e = Assert.Throws<ArgumentException>(() => Gemm.Run(device, false, false, 3, 4, 5, 1f, v, 5, v, 4, 0f, v, 4));
        Assert.Contains("m=3, n=4, k=5", e.Message);
        Assert.Throws<ArgumentException>(() => Gemm.Run(device, false, false, 3, 4, 2, 1f, v, 1, v, 4, 0f, v, 4));
        Assert.Throws<ArgumentException>(() =>
            Gemm.Run(device, false, false, 1, 1, 1, 1f, v, 0, 1, 1, v, 0, 1, 1, 0f, v, 0, 1, 0, 2));
    }
}

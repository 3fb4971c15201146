using System.Numerics;
using Dendrite.Gpu.Kernels.Reductions;
using Dendrite.Gpu.Runtime;

namespace Dendrite.Tests.Gpu;

[Trait("Category", "Gpu")]
public sealed class ReductionKernelTests
{
    private static GpuDevice Device => GpuRuntime.IlgpuCpu;

    private static T[] Random<T>(int n, int seed, int distinct = 0) where T : IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n)
            .Select(_ => distinct > 0 ? T.CreateChecked(rng.Next(distinct)) : T.CreateChecked(rng.NextDouble() * 2 - 1))
            .ToArray();
    }

    // Reference over (o, d, i) of a strided [outer, dim, inner] block.
    private static (double Sum, T Max, T Min, long ArgMax, long ArgMin) Reference<T>(T[] x, long start, long dim, long step)
        where T : IFloatingPointIeee754<T>
    {
        double sum = 0;
        T max = x[start], min = x[start];
        long argMax = 0, argMin = 0;
        for (long d = 0; d < dim; d++)
        {
            T v = x[start + d * step];
            sum += double.CreateChecked(v);
            if (T.IsNaN(v) ? !T.IsNaN(max) : v > max) { max = v; argMax = d; }
            if (T.IsNaN(v) ? !T.IsNaN(min) : v < min) { min = v; argMin = d; }
        }
        return (sum, max, min, argMax, argMin);
    }

    private static void CheckRows<T>(int rows, int cols, bool transposed, ReductionPath path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Random<T>(rows * cols, rows * 31 + cols, distinct: cols > 40 ? 0 : 7);
        if (rows > 2)
            x[cols + cols / 2] = T.NaN;     // row 1 has a NaN in its middle
        long rowStride = transposed ? 1 : cols, colStride = transposed ? rows : 1;
        using var dx = Device.Upload<T>(x);
        using var sum = Device.Allocate<T>(rows);
        using var max = Device.Allocate<T>(rows);
        using var argVal = Device.Allocate<T>(rows);
        using var argIdx = Device.Allocate<long>(rows);
        using var argMinVal = Device.Allocate<T>(rows);
        using var argMinIdx = Device.Allocate<long>(rows);
        Reductions.Rows(Device, dx.View<T>(), rows, cols, rowStride, colStride, sum.View<T>(), new SumOp<T>(), path);
        Reductions.Rows(Device, dx.View<T>(), rows, cols, rowStride, colStride, max.View<T>(), new MaxOp<T>(), path);
        Reductions.ArgRows(Device, dx.View<T>(), rows, cols, rowStride, colStride, argVal.View<T>(), argIdx.View<long>(), new ArgMaxOp<T>(), path);
        Reductions.ArgRows(Device, dx.View<T>(), rows, cols, rowStride, colStride, argMinVal.View<T>(), argMinIdx.View<long>(), new ArgMinOp<T>(), path);
        var s = Device.Download(sum.View<T>());
        var m = Device.Download(max.View<T>());
        var av = Device.Download(argVal.View<T>());
        var ai = Device.Download(argIdx.View<long>());
        var nv = Device.Download(argMinVal.View<T>());
        var ni = Device.Download(argMinIdx.View<long>());
        double eps = typeof(T) == typeof(float) ? 1e-6 : 1e-14;
        for (int r = 0; r < rows; r++)
        {
            var e = Reference(x, r * rowStride, cols, colStride);
            if (double.IsNaN(e.Sum))
                Assert.True(T.IsNaN(s[r]));
            else
                Assert.True(Math.Abs(double.CreateChecked(s[r]) - e.Sum) <= eps * cols, $"row {r}: {s[r]} vs {e.Sum}");
            Assert.Equal(e.Max, m[r]);
            Assert.Equal(e.Max, av[r]);
            Assert.Equal(e.ArgMax, ai[r]);
            Assert.Equal(e.Min, nv[r]);
            Assert.Equal(e.ArgMin, ni[r]);
        }

        // Deterministic: the same input gives the same bits.
        Reductions.Rows(Device, dx.View<T>(), rows, cols, rowStride, colStride, sum.View<T>(), new SumOp<T>(), path);
        Assert.Equal(s, Device.Download(sum.View<T>()));
    }

    // ilgpu-cpu runs every barrier and shuffle as a round of OS context switches: the collective paths get small shapes.
    [Theory]
    [InlineData(1, 1, false, ReductionPath.Auto)]
    [InlineData(130, 3, false, ReductionPath.Auto)]        // thread per row, more rows than threads
    [InlineData(7, 100, true, ReductionPath.Thread)]       // transposed (column stride = rows)
    [InlineData(5, 33, false, ReductionPath.Warp)]         // ties among 7 distinct values; more rows than warps
    [InlineData(3, 100, true, ReductionPath.Warp)]
    [InlineData(3, 2500, false, ReductionPath.Group)]      // several columns per thread, then warp and group trees
    public void RowReductionsMatchTheReference(int rows, int cols, bool transposed, object pathValue)
    {
        var path = (ReductionPath)pathValue;
        CheckRows<float>(rows, cols, transposed, path);
        CheckRows<double>(rows, cols, transposed, path);
    }

    private static void CheckMiddle<T>(int outer, int dim, int inner, ReductionPath path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Random<T>(outer * dim * inner, outer + 7 * dim + 13 * inner, distinct: 5);
        using var dx = Device.Upload<T>(x);
        int count = outer * inner;
        using var sum = Device.Allocate<T>(count);
        using var min = Device.Allocate<T>(count);
        using var av = Device.Allocate<T>(count);
        using var ai = Device.Allocate<long>(count);
        Reductions.Middle(Device, dx.View<T>(), outer, dim, inner, (long)dim * inner, inner, 1, sum.View<T>(), new SumOp<T>(), path);
        Reductions.Middle(Device, dx.View<T>(), outer, dim, inner, (long)dim * inner, inner, 1, min.View<T>(), new MinOp<T>(), path);
        Reductions.ArgMiddle(Device, dx.View<T>(), outer, dim, inner, (long)dim * inner, inner, 1, av.View<T>(), ai.View<long>(), new ArgMaxOp<T>(), path);
        var s = Device.Download(sum.View<T>());
        var mn = Device.Download(min.View<T>());
        var v = Device.Download(av.View<T>());
        var idx = Device.Download(ai.View<long>());
        for (int o = 0; o < outer; o++)
        for (int i = 0; i < inner; i++)
        {
            var e = Reference(x, (long)o * dim * inner + i, dim, inner);
            int at = o * inner + i;
            Assert.Equal(e.Sum, double.CreateChecked(s[at]), 1e-9);  // small integers: exact in float too
            Assert.Equal(e.Min, mn[at]);
            Assert.Equal(e.Max, v[at]);
            Assert.Equal(e.ArgMax, idx[at]);
        }
    }

    [Theory]
    [InlineData(2, 3, 5, ReductionPath.Group)]
    [InlineData(3, 70, 33, ReductionPath.Group)]     // inner not a multiple of the 32-wide tile, dim spread over slices
    [InlineData(3, 70, 33, ReductionPath.Thread)]
    [InlineData(1, 9, 1, ReductionPath.Auto)]        // inner = 1 goes to the row kernels
    [InlineData(4, 1, 64, ReductionPath.Auto)]
    public void MiddleDimensionReductionsMatchTheReference(int outer, int dim, int inner, object pathValue)
    {
        var path = (ReductionPath)pathValue;
        CheckMiddle<float>(outer, dim, inner, path);
        CheckMiddle<double>(outer, dim, inner, path);
    }

    [Theory]
    [InlineData(ReductionPath.Auto)]
    [InlineData(ReductionPath.Group)]
    public void FullReductionsMatchTheReference(object pathValue)
    {
        var path = (ReductionPath)pathValue;
        const int n = 5000;   // Group: more than 4 groups of 64 threads, so the second pass combines 4 partials
        var x = Random<double>(n, 5);
        x[1234] = 7;
        x[4321] = 7;          // a tie: the first occurrence wins
        x[99] = -9;
        using var dx = Device.Upload<double>(x);
        using var y = Device.Allocate<double>(1);
        using var yi = Device.Allocate<long>(1);
        Reductions.All(Device, dx.View<double>(), y.View<double>(), new SumOp<double>(), path);
        double sum = Device.Download(y.View<double>())[0];
        Assert.Equal(x.Sum(), sum, 1e-10);
        Reductions.All(Device, dx.View<double>(), y.View<double>(), new SumOp<double>(), path);
        Assert.Equal(sum, Device.Download(y.View<double>())[0]);     // bit-identical
        Reductions.All(Device, dx.View<double>(), y.View<double>(), new MaxOp<double>(), path);
        Assert.Equal(7, Device.Download(y.View<double>())[0]);
        Reductions.ArgAll(Device, dx.View<double>(), y.View<double>(), yi.View<long>(), new ArgMaxOp<double>(), path);
        Assert.Equal(1234, Device.Download(yi.View<long>())[0]);
        Reductions.ArgAll(Device, dx.View<double>(), y.View<double>(), yi.View<long>(), new ArgMinOp<double>(), path);
        Assert.Equal((-9.0, 99L), (Device.Download(y.View<double>())[0], Device.Download(yi.View<long>())[0]));

        var f = Random<float>(n, 6);
        f[3000] = float.NaN;
        using var df = Device.Upload<float>(f);
        using var fy = Device.Allocate<float>(1);
        using var fi = Device.Allocate<long>(1);
        Reductions.All(Device, df.View<float>(), fy.View<float>(), new MinOp<float>(), path);
        Assert.True(float.IsNaN(Device.Download(fy.View<float>())[0]));
        Reductions.ArgAll(Device, df.View<float>(), fy.View<float>(), fi.View<long>(), new ArgMaxOp<float>(), path);
        Assert.Equal(3000, Device.Download(fi.View<long>())[0]);

        long[] l = [3, -4, 5];
        using var dl = Device.Upload<long>(l);
        using var ly = Device.Allocate<long>(1);
        Reductions.All(Device, dl.View<long>(), ly.View<long>(), new SumOp<long>(), path);
        Assert.Equal(4, Device.Download(ly.View<long>())[0]);

        using var empty = Device.Allocate<float>(0);
        Reductions.All(Device, empty.View<float>(), fy.View<float>(), new SumOp<float>(), path);
        Assert.Equal(0f, Device.Download(fy.View<float>())[0]);
        Assert.Throws<ArgumentException>(() => Reductions.ArgAll(Device, empty.View<float>(), fy.View<float>(), fi.View<long>(), new ArgMaxOp<float>(), path));
        Assert.Throws<ArgumentException>(() => Reductions.Rows(Device, df.View<float>(), 2, 3000, 3000, 1, fy.View<float>(), new SumOp<float>()));
    }
}

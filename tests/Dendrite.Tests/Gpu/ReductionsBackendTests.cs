using Dendrite.Gpu.Kernels.Elementwise;
using Dendrite.Gpu.Kernels.Reductions;
using Dendrite.Gpu.Runtime;
using static Dendrite.Tests.Gpu.GpuParity;

namespace Dendrite.Tests.Gpu;

/// <summary>The GPU backend's reductions on ilgpu-cpu against the CPU backend, and the collective (warp and group) row kernels.</summary>
[Trait("Category", "Gpu")]
public sealed class ReductionsBackendTests
{
    public static IEnumerable<object[]> DTypes() => [[DType.Float32], [DType.Float64]];

    // [2, 3, 4] with -∞, a tie and (optionally) a NaN planted.
    private static Tensor Block(DType dtype, bool nan, int seed = 40)
    {
        var x = Random([2, 3, 4], dtype, seed).ToArray<double>();
        x[5] = x[9];                         // a tie along dim 1
        x[13] = double.NegativeInfinity;
        if (nan)
            x[18] = double.NaN;
        return Values(x, dtype, 2, 3, 4);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void SumsAndMeansMatchTheCpu(DType dtype)
    {
        var x = Random([3, 5, 7], dtype, 41);
        Check(t => t.Sum(), x);
        Check(t => t.Mean(), x);
        Check(t => t.Sum(0), x);
        Check(t => t.Sum(1, keepDim: true), x);
        Check(t => t.Mean(2), x);
        Check(t => t.Sum([0, 2]), x);
        Check(t => t.Transpose(0, 2).Mean(1), x);
        Check(t => t.Sum(0), Random([0, 3], dtype, 42));                  // empty reduced dim: zeros
        Check(t => t.Sum(), Random([1], dtype, 43));
        Check(t => t.Sum(1), Block(dtype, nan: true));
        Check(t => t.Sum(1), Random([2, 300], dtype, 44));                // long rows
    }

    [Fact]
    public void Int64SumsAreExact()
    {
        var x = Tensor.FromArray([long.MaxValue / 4, 3, -7, long.MaxValue / 4, 1, 2], 2, 3);
        AssertClose(x.Sum(), x.To(D).Sum(), 0);
        AssertClose(x.Sum(0), x.To(D).Sum(0), 0);
        AssertClose(x.Sum(1), x.To(D).Sum(1), 0);
        var b = Random([4, 5], DType.Float32, 45).Gt(0);
        AssertClose(b.To(DType.Int64).Sum(1), b.To(D).To(DType.Int64).Sum(1), 0);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void VarianceAndStdMatchTheCpu(DType dtype)
    {
        var x = Random([3, 4, 5], dtype, 46, scale: 5).Add(100);
        Check(t => t.Var(), x);
        Check(t => t.Var(1), x);
        Check(t => t.Var(0, unbiased: false), x);
        Check(t => t.Std(2, keepDim: true), x);
        Check(t => t.Var([0, 2]), x);
        Check(t => t.Var(0), Random([1, 3], dtype, 47), grads: false);       // r − ddof = 0: NaN
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void LogSumExpMatchesTheCpu(DType dtype)
    {
        foreach (int dim in new[] { 0, 1, 2 })
        {
            Check(t => t.LogSumExp(dim), Block(dtype, nan: false));
            Check(t => t.LogSumExp(dim), Block(dtype, nan: true), grads: false);
        }
        Check(t => t.LogSumExp(1), Values([1000, 999, 1, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity], dtype, 2, 3), grads: false);
        Check(t => t.LogSumExp(1), Random([2, 0], dtype, 48), grads: false);   // empty rows: −∞
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void SoftmaxAndLogSoftmaxMatchTheCpuForwardAndBackward(DType dtype)
    {
        foreach (int dim in new[] { 0, 1, 2, -1 })
        {
            Check(t => t.Softmax(dim), Block(dtype, nan: false));
            Check(t => t.LogSoftmax(dim), Block(dtype, nan: false));
            Check(t => t.Softmax(dim), Block(dtype, nan: true));
        }
        Check(t => t.Softmax(1), Values([1000, 999, -1000, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity], dtype, 2, 3));
        Check(t => t.LogSoftmax(0), Random([1], dtype, 49));
        Check(t => t.Softmax(1), Random([0, 4], dtype, 50));
        Check(t => t.Transpose(0, 1).LogSoftmax(1), Random([5, 3], dtype, 51));
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void ExtremesAndTheirIndicesMatchTheCpu(DType dtype)
    {
        foreach (bool nan in new[] { false, true })
        foreach (int dim in new[] { 0, 1, 2 })
        {
            var x = Block(dtype, nan);
            Check(t => t.Max(dim).Values, x);
            Check(t => t.Min(dim, keepDim: true).Values, x);
            Check(t => t.Max(dim).Indices, x, grads: false);
            Check(t => t.Min(dim).Indices, x, grads: false);
            Check(t => t.ArgMax(dim), x, grads: false);
        }
        Check(t => t.ArgMax(), Block(dtype, nan: true), grads: false);
        Check(t => t.ArgMin(), Block(dtype, nan: false), grads: false);
        Check(t => t.Max(), Block(dtype, nan: false));
    }

    // The collective kernels (a warp or a group per row) against the one-thread-per-row kernel, on a private device
    // (the shared one keeps 32-thread groups).
    [Fact]
    public void CollectiveRowKernelsMatchTheThreadKernels()
    {
        using var device = GpuRuntime.CreateIlgpuCpu();
        foreach (var (outer, r, inner) in new[] { (3, 100, 1), (2, 37, 3), (1, 5, 1), (2, 0, 2) })
        {
            int n = outer * r * inner, rows = outer * inner;
            var data = Random([Math.Max(n, 1)], DType.Float64, outer + r + inner).ToArray<double>();
            if (n > 8)
                data[7] = double.NegativeInfinity;
            using var x = device.Upload<double>(data);
            using var y = device.Allocate<double>(Math.Max(n, 1));
            using var a = device.Allocate<double>(Math.Max(rows, 1));
            using var b = device.Allocate<double>(Math.Max(rows, 1));
            var xv = x.View<double>().SubView(0, n);
            var results = new Dictionary<ReductionPath, double[][]>();
            foreach (var path in new[] { ReductionPath.Thread, ReductionPath.Warp, ReductionPath.Group })
            {
                var outputs = new List<double[]>();
                RowReductions.Sum(device, xv, a.View<double>(), outer, r, inner, 0.5, path);
                outputs.Add(device.Download(a.View<double>().SubView(0, rows)));
                RowReductions.Moments(device, xv, a.View<double>(), b.View<double>(), outer, r, inner, 1, path);
                outputs.Add(device.Download(a.View<double>().SubView(0, rows)));
                outputs.Add(device.Download(b.View<double>().SubView(0, rows)));
                RowReductions.LogSumExp<double, Real64>(device, xv, a.View<double>(), outer, r, inner, path);
                outputs.Add(device.Download(a.View<double>().SubView(0, rows)));
                RowReductions.Softmax<double, Real64>(device, xv, y.View<double>().SubView(0, n), outer, r, inner, log: false, path);
                outputs.Add(device.Download(y.View<double>().SubView(0, n)));
                RowReductions.Softmax<double, Real64>(device, xv, y.View<double>().SubView(0, n), outer, r, inner, log: true, path);
                outputs.Add(device.Download(y.View<double>().SubView(0, n)));
                RowReductions.SoftmaxBackward<double, Real64>(device, xv, xv, y.View<double>().SubView(0, n), outer, r, inner, log: false, path);
                outputs.Add(device.Download(y.View<double>().SubView(0, n)));
                results[path] = [.. outputs];
            }
            foreach (var path in new[] { ReductionPath.Warp, ReductionPath.Group })
                for (int k = 0; k < results[path].Length; k++)
                    for (int i = 0; i < results[path][k].Length; i++)
                    {
                        double e = results[ReductionPath.Thread][k][i], v = results[path][k][i];
                        Assert.True(double.IsNaN(e) ? double.IsNaN(v) : e == v || Math.Abs(e - v) <= 1e-12 * (Math.Abs(e) + 1),
                            $"[{outer}, {r}, {inner}] {path} output {k} at {i}: {v:R} vs {e:R}");
                    }
        }
    }
}

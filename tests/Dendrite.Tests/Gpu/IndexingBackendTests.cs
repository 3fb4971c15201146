using Dendrite.Gpu.Backend;
using Dendrite.Gpu.Kernels.Elementwise;
using Dendrite.Gpu.Kernels.Indexing;
using Dendrite.Gpu.Runtime;
using ILGPU;
using static Dendrite.Tests.Gpu.GpuParity;

namespace Dendrite.Tests.Gpu;

/// <summary>The GPU backend's gather / index_select kernels, their adjoints and the range check, on ilgpu-cpu against the CPU.</summary>
[Trait("Category", "Gpu")]
public sealed class IndexingBackendTests
{
    public static IEnumerable<object[]> DTypes() => [[DType.Float32], [DType.Float64]];

    private static Tensor Indices(int[] shape, int high, int seed)
    {
        var rng = new Random(seed);
        int n = shape.Aggregate(1, (a, b) => a * b);
        return Tensor.FromArray(Enumerable.Range(0, n).Select(_ => (long)rng.Next(high)).ToArray(), n).Reshape(shape);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void GatherAndItsScatterAddBackwardMatchTheCpu(DType dtype)
    {
        var x = Random([3, 4, 5], dtype, 60);
        Check(xs => xs[0].Gather(0, Indices([5, 4, 5], 3, 61).To(xs[0].Device)), [x]);     // more indices than rows: repeats accumulate
        Check(xs => xs[0].Gather(1, Indices([3, 2, 5], 4, 62).To(xs[0].Device)), [x]);
        Check(xs => xs[0].Gather(2, Indices([2, 3, 6], 5, 63).To(xs[0].Device)), [x]);     // smaller in the other dims
        Check(xs => xs[0].Transpose(0, 2).Gather(1, Indices([5, 3, 3], 4, 64).To(xs[0].Device)), [x]);  // strided input
        Check(xs => xs[0].Gather(1, Indices([3, 5], 7, 65).To(xs[0].Device).Transpose(0, 1)), [Random([5, 7], dtype, 66)]); // strided index
        Check(xs => xs[0].Gather(0, Indices([0, 5], 2, 67).To(xs[0].Device)), [Random([2, 5], dtype, 68)]);  // empty
    }

    [Fact]
    public void GatherAndIndexSelectCopyInt64AndBool()
    {
        var l = Tensor.FromArray([10L, 11, 12, 13, 14, 15], 2, 3);
        var b = Tensor.FromArray([true, false, false, true, true, false], 3, 2);
        var i = Tensor.FromArray([2L, 0, 0, 1, 1, 2], 2, 3);
        AssertClose(l.Gather(1, i), l.To(D).Gather(1, i.To(D)), 0);
        AssertClose(b.Transpose(0, 1).Gather(1, i), b.To(D).Transpose(0, 1).Gather(1, i.To(D)), 0);
        var j = Tensor.FromArray([1L, 1, 0], 3);
        AssertClose(l.IndexSelect(0, j), l.To(D).IndexSelect(0, j.To(D)), 0);
        AssertClose(b.IndexSelect(1, j.Narrow(0, 1, 2)), b.To(D).IndexSelect(1, j.Narrow(0, 1, 2).To(D)), 0);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void IndexSelectAndItsIndexAddBackwardMatchTheCpu(DType dtype)
    {
        var x = Random([4, 5, 6], dtype, 70);
        var index = Tensor.FromArray([3L, 0, 3, 3, 1, 4, 0], 7);
        foreach (int dim in new[] { 0, 1, 2 })
            Check(xs => xs[0].IndexSelect(dim, index.Narrow(0, 0, 4).To(xs[0].Device)), [x]);
        Check(xs => xs[0].IndexSelect(1, index.To(xs[0].Device)), [x]);
        Check(xs => xs[0].IndexSelect(0, Tensor.FromArray(Array.Empty<long>(), 0).To(xs[0].Device)), [x]);
        Check(xs => xs[0].IndexSelect(0, Tensor.Scalar(2, DType.Int64, device: xs[0].Device)), [Random([5], dtype, 71)]);
    }

    [Fact]
    public void OutOfRangeIndicesAreReportedAtTheirFirstPosition()
    {
        var x = Random([4, 3], DType.Float32, 72).To(D);
        var bad = Tensor.FromArray([1L, 5, 2, -1, 7, 0], 2, 3).To(D);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(0, bad.Reshape(6)));
        var cpu = Assert.Throws<ArgumentOutOfRangeException>(() => x.Cpu().IndexSelect(0, bad.Cpu().Reshape(6)));
        Assert.Equal(cpu.Message, e.Message);
        Assert.Contains("5", e.Message);
        var backend = (GpuBackend)x.Backend;
        Assert.Equal((1L, 5L), backend.FindOutOfRange(bad.Raw, 4));
        Assert.Equal((1L, -1L), backend.FindOutOfRange(bad.Transpose(0, 1).Raw, 4));     // row-major position in the strided view
        Assert.Equal((3L, -1L), backend.FindOutOfRange(bad.Raw, 6));            // negative values are out of range too
        Assert.Null(backend.FindOutOfRange(bad.Narrow(1, 2, 1).Raw, 3));        // [2, 0] in a strided column
        Assert.Null(backend.FindOutOfRange(Tensor.FromArray(Array.Empty<long>(), 0).To(D).Raw, 1));
        var oneHot = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.OneHot(bad, 6));
        Assert.Contains("position 3", oneHot.Message);
        AssertClose(Tensor.OneHot(Tensor.FromArray([2L, 0, 1], 3), 3), Tensor.OneHot(Tensor.FromArray([2L, 0, 1], 3).To(D), 3), 0);
    }

    // The atomic adjoints run on CUDA for shapes with few lines; their kernels also run (atomically) on ilgpu-cpu.
    [Fact]
    public void AtomicAdjointKernelsAccumulateRepeatedIndices()
    {
        var device = GpuRuntime.IlgpuCpu;
        double[] g = [1, 2, 3, 4, 5, 6];
        long[] index = [2, 0, 2, 2, 1, 0];
        using var dg = device.Upload<double>(g);
        using var di = device.Upload<long>(index);
        using var gx = device.Allocate<double>(3);
        device.Zero(gx.View<double>());
        // index_add with outer = 1, inner = 1: gx[index[j]] += g[j].
        device.Kernel<ArrayView<double>, ArrayView<long>, ArrayView<double>, int, int, int, int>(IndexKernels.IndexAddAtomic<double, AtomicAddDouble>)(
            device.Stream, device.GridStride(6), dg.View<double>(), di.View<long>(), gx.View<double>(), 3, 6, 1, 6);
        Assert.Equal([2.0 + 6, 5, 1.0 + 3 + 4], device.Download(gx.View<double>()));
        // scatter_add along dim 0 of a [3] target from a [6] source (base offsets all 0).
        using var gf = device.Upload<float>([1f, 2, 3, 4, 5, 6]);
        using var fx = device.Allocate<float>(3);
        device.Zero(fx.View<float>());
        var bases = StridedLayout.Create([6], [0], 0);
        device.Kernel<ArrayView<float>, ArrayView<long>, ArrayView<float>, StridedLayout, long, long>(IndexKernels.ScatterAddAtomic<float, AtomicAddFloat>)(
            device.Stream, device.GridStride(6), gf.View<float>(), di.View<long>(), fx.View<float>(), bases, 1, 6);
        Assert.Equal([8f, 5, 8], device.Download(fx.View<float>()));
    }
}

using Dendrite.Gpu.Kernels.Elementwise;
using Dendrite.Gpu.Runtime;

namespace Dendrite.Tests.Gpu;

[Trait("Category", "Gpu")]
public sealed class ElementwiseKernelTests
{
    private static GpuDevice Device => GpuRuntime.IlgpuCpu;

    [Fact]
    public void UploadDownloadFillAndZeroRoundTrip()
    {
        var data = Enumerable.Range(0, 1000).Select(i => i * 0.5f).ToArray();
        using var buffer = Device.Upload<float>(data);
        Assert.Equal(data, Device.Download(buffer.View<float>()));

        Device.Fill(buffer.View<float>(10, 20), 7f);
        Device.Zero(buffer.View<float>(500, 3));
        var back = Device.Download(buffer.View<float>());
        for (int i = 0; i < data.Length; i++)
            Assert.Equal(i is >= 10 and < 30 ? 7f : i is >= 500 and < 503 ? 0f : data[i], back[i]);

        using var longs = Device.Allocate<long>(5);
        Device.Fill(longs.View<long>(), -3L);
        Assert.Equal([-3L, -3, -3, -3, -3], Device.Download(longs.View<long>()));
        using var bools = Device.Allocate<byte>(3);
        Device.Fill(bools.View<byte>(), (byte)1);
        Assert.Equal([1, 1, 1], Device.Download(bools.View<byte>()));

        using var copy = Device.Allocate<float>(1000);
        Device.Copy(buffer.View<float>(), copy.View<float>());
        Assert.Equal(back, Device.Download(copy.View<float>()));
        Assert.Throws<ArgumentException>(() => Device.CopyFromHost<float>(new float[3], copy.View<float>()));
    }

    [Fact]
    public void MapAndZipApplyTheirOperatorToEveryElement()
    {
        double[] a = [1.5, -2, 3, double.NaN, 0.25, 1e300];
        double[] b = [2, 2, -1, 1, 0.5, 1e10];
        using var da = Device.Upload<double>(a);
        using var db = Device.Upload<double>(b);
        using var dy = Device.Allocate<double>(a.Length);
        using var mask = Device.Allocate<byte>(a.Length);

        Elementwise.Zip(Device, da.View<double>(), db.View<double>(), dy.View<double>(), new Multiply<double>());
        Assert.Equal(a.Zip(b, (x, y) => x * y), Device.Download(dy.View<double>()));
        Elementwise.Zip(Device, da.View<double>(), db.View<double>(), mask.View<byte>(), new LessThan<double>());
        Assert.Equal(a.Zip(b, (x, y) => x < y ? (byte)1 : (byte)0), Device.Download(mask.View<byte>()));
        Elementwise.Map(Device, da.View<double>(), dy.View<double>(), new AddScalar<double>(10));
        Assert.Equal(a.Select(x => x + 10), Device.Download(dy.View<double>()));
        // In place, then a conversion to another element type.
        Elementwise.Map(Device, dy.View<double>(), dy.View<double>(), new Negate<double>());
        Assert.Equal(a.Select(x => -(x + 10)), Device.Download(dy.View<double>()));
        using var f = Device.Allocate<float>(a.Length);
        Elementwise.Map(Device, da.View<double>(), f.View<float>(), new DoubleToFloat());
        Assert.Equal(a.Select(x => (float)x), Device.Download(f.View<float>()));
        Elementwise.Map(Device, f.View<float>(), mask.View<byte>(), new FloatToBool());
        Assert.Equal(a.Select(x => (float)x != 0 ? (byte)1 : (byte)0), Device.Download(mask.View<byte>()));

        long[] l = [5, -7, long.MaxValue - 1];
        using var dl = Device.Upload<long>(l);
        Elementwise.Map(Device, dl.View<long>(), dl.View<long>(), new AddScalar<long>(1));
        Assert.Equal(l.Select(x => x + 1), Device.Download(dl.View<long>()));
        Assert.Throws<ArgumentException>(() => Elementwise.Map(Device, da.View<double>(), f.View<float>(0, 2), new DoubleToFloat()));
    }

    [Fact]
    public void LargeMapCoversEveryElementOnce()
    {
        // More elements than threads: the grid-stride loop must visit each index exactly once.
        const int n = 100_003;
        var x = Enumerable.Range(0, n).Select(i => (float)i).ToArray();
        using var dx = Device.Upload<float>(x);
        Elementwise.Map(Device, dx.View<float>(), dx.View<float>(), new MulScalar<float>(2));
        var y = Device.Download(dx.View<float>());
        for (int i = 0; i < n; i++)
            Assert.Equal(2f * i, y[i]);
    }

    // Reference: element (i0, ..., ir) of a strided view.
    private static T[] GatherReference<T>(T[] source, long[] sizes, long[] strides, long offset)
    {
        long n = sizes.Aggregate(1L, (p, s) => p * s);
        var result = new T[n];
        var index = new long[sizes.Length];
        for (long i = 0; i < n; i++)
        {
            long off = offset;
            for (int d = 0; d < sizes.Length; d++)
                off += index[d] * strides[d];
            result[i] = source[off];
            for (int d = sizes.Length - 1; d >= 0; d--)
            {
                if (++index[d] < sizes[d])
                    break;
                index[d] = 0;
            }
        }
        return result;
    }

    public static TheoryData<long[], long[], long> Layouts => new()
    {
        { [], [], 3 },                                            // scalar
        { [7], [1], 0 },
        { [5], [-2], 9 },                                         // reversed, step 2
        { [4, 6], [1, 4], 0 },                                    // transpose of a 6x4
        { [3, 1, 4], [8, 0, 2], 1 },                              // size-1 dim with stride 0
        { [2, 3], [0, 1], 2 },                                    // broadcast rows
        { [2, 2, 2, 2, 2, 2, 2, 2], [128, 64, 32, 16, 8, 4, 2, 1], 0 },   // rank 8, contiguous
        { [2, 1, 2, 3, 1, 2, 2, 2], [1, 99, 2, 4, 99, 12, 24, 48], 0 },   // rank 8, permuted
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void GatherAndScatterFollowTheStridedLayout(long[] sizes, long[] strides, long offset)
    {
        var source = Enumerable.Range(0, 300).Select(i => (long)i * 3 + 1).ToArray();
        var expected = GatherReference(source, sizes, strides, offset);
        using var ds = Device.Upload<long>(source);
        using var dense = Device.Allocate<long>(expected.Length);
        Elementwise.Gather(Device, ds.View<long>(), sizes, strides, offset, dense.View<long>());
        Assert.Equal(expected, Device.Download(dense.View<long>()));

        // Scatter negated values back through the same layout (when it is one-to-one) and check each target.
        bool injective = strides.Zip(sizes).All(p => p.Second == 1 || p.First != 0);
        if (!injective)
            return;
        var negated = expected.Select(v => -v).ToArray();
        using var dn = Device.Upload<long>(negated);
        Elementwise.Scatter(Device, dn.View<long>(), ds.View<long>(), sizes, strides, offset);
        var after = Device.Download(ds.View<long>());
        var touched = GatherReference(after, sizes, strides, offset);
        Assert.Equal(negated, touched);
        Assert.Equal(source.Length - expected.Length, after.Count(v => v > 0));
    }

    [Fact]
    public void GatherWorksForEveryElementTypeAndRejectsOutOfRangeLayouts()
    {
        using var f = Device.Upload<float>([1f, 2, 3, 4, 5, 6]);
        using var fd = Device.Allocate<float>(6);
        Elementwise.Gather(Device, f.View<float>(), [3, 2], [1, 3], 0, fd.View<float>());
        Assert.Equal([1f, 4, 2, 5, 3, 6], Device.Download(fd.View<float>()));
        using var d = Device.Upload<double>([1.0, 2, 3, 4, 5, 6]);
        using var dd = Device.Allocate<double>(3);
        Elementwise.Gather(Device, d.View<double>(), [3], [2], 1, dd.View<double>());
        Assert.Equal([2.0, 4, 6], Device.Download(dd.View<double>()));
        using var b = Device.Upload<byte>([1, 0, 1, 1]);
        using var bd = Device.Allocate<byte>(2);
        Elementwise.Gather(Device, b.View<byte>(), [2], [-1], 3, bd.View<byte>());
        Assert.Equal([1, 1], Device.Download(bd.View<byte>()));

        var e = Assert.Throws<ArgumentException>(() =>
            Elementwise.Gather(Device, f.View<float>(), [3, 2], [2, 1], 1, fd.View<float>()));
        Assert.Contains("[1, 6]", e.Message);
    }
}

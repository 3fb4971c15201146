using Dendrite.Gpu.Kernels;
using Dendrite.Gpu.Kernels.Random;
using Dendrite.Gpu.Runtime;
using Xunit.Abstractions;

namespace Dendrite.Tests.Gpu;

[Trait("Category", "Gpu")]
public sealed class RandomKernelTests(ITestOutputHelper output)
{
    private static GpuDevice Device => GpuRuntime.IlgpuCpu;

    // Distance in units in the last place between two finite doubles (0 when equal).
    private static long Ulps(double a, double b)
    {
        long x = BitConverter.DoubleToInt64Bits(a), y = BitConverter.DoubleToInt64Bits(b);
        if (x < 0) x = long.MinValue - x;
        if (y < 0) y = long.MinValue - y;
        return Math.Abs(x - y);
    }

    private static int Ulps(float a, float b)
    {
        int x = BitConverter.SingleToInt32Bits(a), y = BitConverter.SingleToInt32Bits(b);
        if (x < 0) x = int.MinValue - x;
        if (y < 0) y = int.MinValue - y;
        return Math.Abs(x - y);
    }

    private static Generator At(ulong seed, ulong counter)
    {
        var g = new Generator(seed);
        g.SetState((seed, counter));
        return g;
    }

    [Fact]
    public void RawStreamIsTheGeneratorsStreamBitForBit()
    {
        const ulong seed = 0x5EED, counter = 17;
        using var y = Device.Allocate<ulong>(1000);
        ulong after = RandomFill.Raw(Device, y.View<ulong>(), seed, counter);
        Assert.Equal(counter + 1000, after);
        var expected = new ulong[1000];
        At(seed, counter).NextUInt64(expected);
        Assert.Equal(expected, Device.Download(y.View<ulong>()));
    }

    [Fact]
    public void DeviceLogAndCosAreWithinOneUlpOfDotNet()
    {
        // The same code runs on the host: check it where Math.Log / Math.Cos are the reference.
        var rng = new System.Random(3);
        long worstLog = 0, worstCos = 0;
        for (int i = 0; i < 200_000; i++)
        {
            double u = (rng.NextInt64() >> 11) * (1.0 / 9007199254740992.0);     // the inputs Box–Muller sees
            double x = 1.0 - u;
            worstLog = Math.Max(worstLog, Ulps(DeviceMath.Log(x), Math.Log(x)));
            double theta = 2.0 * Math.PI * u;
            worstCos = Math.Max(worstCos, Ulps(DeviceMath.Cos(theta), Math.Cos(theta)));
            double wide = Math.Exp(rng.NextDouble() * 1400 - 700);              // the rest of the range
            worstLog = Math.Max(worstLog, Ulps(DeviceMath.Log(wide), Math.Log(wide)));
        }
        output.WriteLine($"worst log {worstLog} ulp, worst cos {worstCos} ulp");
        Assert.True(worstLog <= 1, $"log: {worstLog} ulp");
        Assert.True(worstCos <= 1, $"cos: {worstCos} ulp");
        Assert.Equal(Math.Log(double.Epsilon), DeviceMath.Log(double.Epsilon));
        Assert.Equal(double.NegativeInfinity, DeviceMath.Log(0));
        Assert.True(double.IsNaN(DeviceMath.Log(-1)));
        Assert.Equal(0.0, DeviceMath.Log(1.0));
        Assert.Equal(1.0, DeviceMath.Cos(0.0));
    }

    [Fact]
    public void UniformFillsMatchTheGenerator()
    {
        const ulong seed = 42, counter = 5;
        const int n = 4000;
        using var f = Device.Allocate<float>(n);
        using var d = Device.Allocate<double>(n);
        Assert.Equal(counter + n, RandomFill.Uniform(Device, f.View<float>(), seed, counter, -2.5, 3));
        RandomFill.Uniform(Device, d.View<double>(), seed, counter, -2.5, 3);
        var ef = new float[n];
        At(seed, counter).FillUniform(ef, -2.5, 3);
        var ed = new double[n];
        At(seed, counter).FillUniform(ed, -2.5, 3);
        var gf = Device.Download(f.View<float>());
        var gd = Device.Download(d.View<double>());
        for (int i = 0; i < n; i++)
        {
            Assert.True(Ulps(ef[i], gf[i]) <= 1, $"float {i}: {gf[i]} vs {ef[i]}");
            Assert.True(Ulps(ed[i], gd[i]) <= 1, $"double {i}: {gd[i]} vs {ed[i]}");
        }
    }

    [Fact]
    public void NormalFillsMatchTheGenerator()
    {
        const ulong seed = 7, counter = 3;
        const int n = 20_000;
        using var f = Device.Allocate<float>(n);
        using var d = Device.Allocate<double>(n);
        using var z = Device.Allocate<double>(n);
        Assert.Equal(counter + 2 * n, RandomFill.Normal(Device, f.View<float>(), seed, counter, 0.5, 2));
        RandomFill.Normal(Device, d.View<double>(), seed, counter, 0.5, 2);
        RandomFill.Normal(Device, z.View<double>(), seed, counter, 0, 1);
        var ef = new float[n];
        At(seed, counter).FillNormal(ef, 0.5, 2);
        var ed = new double[n];
        At(seed, counter).FillNormal(ed, 0.5, 2);
        var ez = new double[n];
        At(seed, counter).FillNormal(ez, 0, 1);
        var gf = Device.Download(f.View<float>());
        var gd = Device.Download(d.View<double>());
        var gz = Device.Download(z.View<double>());
        int floatExact = 0, doubleExact = 0;
        long worstStandard = 0;
        for (int i = 0; i < n; i++)
        {
            Assert.True(Ulps(ef[i], gf[i]) <= 1, $"float {i}: {gf[i]} vs {ef[i]}");
            floatExact += ef[i] == gf[i] ? 1 : 0;
            // Standard normals: log and cos are each within an ulp of .NET; through sqrt, the product and the
            // final rounding the two results differ by at most a few ulps (3 seen over this sample).
            worstStandard = Math.Max(worstStandard, Ulps(ez[i], gz[i]));
            doubleExact += ez[i] == gz[i] ? 1 : 0;
            // mean + std·z: the same absolute error (near 0 the sum cancels, so ulps of the result say little).
            Assert.True(Math.Abs(ed[i] - gd[i]) <= 4 * Math.ScaleB(1, -52) * (2 * Math.Abs(ez[i]) + 0.5), $"double {i}: {gd[i]} vs {ed[i]}");
        }
        output.WriteLine($"float exact {floatExact}/{n}; standard double exact {doubleExact}/{n}, worst {worstStandard} ulp");
        Assert.True(worstStandard <= 4, $"standard double normals: worst {worstStandard} ulp");
    }

    [Fact]
    public void DropoutMaskIsTheCpuMaskBitForBit()
    {
        const ulong seed = 99, counter = 11;
        const int n = 5000;
        const double p = 0.3;
        using var mask = Device.Allocate<float>(n);
        float scale = 1f / (1 - (float)p);
        Assert.Equal(counter + n, RandomFill.DropoutMask(Device, mask.View<float>(), seed, counter, p, scale));
        var raw = new ulong[n];
        At(seed, counter).NextUInt64(raw);
        ulong threshold = (ulong)Math.Ceiling(p * 9007199254740992.0);
        var expected = raw.Select(r => (r >> 11) >= threshold ? scale : 0f).ToArray();
        var got = Device.Download(mask.View<float>());
        Assert.Equal(expected, got);
        Assert.InRange(got.Count(v => v == 0) / (double)n, 0.27, 0.33);

        using var dm = Device.Allocate<double>(n);
        RandomFill.DropoutMask(Device, dm.View<double>(), seed, counter, 0.0, 1.0);
        Assert.All(Device.Download(dm.View<double>()), v => Assert.Equal(1.0, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomFill.DropoutMask(Device, dm.View<double>(), seed, counter, 1.0, 0.0));
    }
}

using Dendrite.NN;

namespace Dendrite.Tests.Devices;

// Gradient clipping, dropout and initializers run on the tensor's device and match the CPU exactly.
public sealed class NNDeviceTests
{
    [Fact]
    public void TheFakeDeviceIsNotHostMemory()
    {
        var t = Tensor.Ones([3]).ToFake();
        Assert.Throws<InvalidOperationException>(() => Dendrite.Backends.Cpu.CpuViews.Span<float>(t.Raw).Length);
    }

    private static Tensor[] ParamsWithGrads(DType dtype, bool onFake)
    {
        var g = new Generator(5);
        var ps = new[] { Tensor.RandN([300], g, dtype), Tensor.RandN([20, 7], g, dtype) };
        var g0 = Tensor.RandN([300], g, dtype);
        var g1 = Tensor.RandN([7, 20], g, dtype);
        ps[0].Grad = onFake ? g0.ToFake() : g0;
        ps[1].Grad = (onFake ? g1.ToFake() : g1).Transpose(0, 1); // a strided gradient
        return ps;
    }

    [Theory]
    [InlineData(DType.Float32, 2.0, 0.5)]
    [InlineData(DType.Float32, 2.0, 1e6)]
    [InlineData(DType.Float64, double.PositiveInfinity, 0.5)]
    [InlineData(DType.Float64, 3.0, 0.5)]
    [InlineData(DType.Float32, 1.0, 2.0)]
    public void ClipGradNormReturnsATensorOnTheGradientsDevice(DType dtype, double normType, double maxNorm)
    {
        var cpu = ParamsWithGrads(dtype, onFake: false);
        var fake = ParamsWithGrads(dtype, onFake: true);
        var expected = Expected(cpu, normType);
        var cpuTotal = Utils.ClipGradNorm_(cpu, maxNorm, normType);
        var fakeTotal = Utils.ClipGradNorm_(fake, maxNorm, normType);
        Assert.Equal(Device.Cpu, cpuTotal.Device);
        Assert.Equal(FakeDevice.Device, fakeTotal.Device);
        Assert.Equal(0, fakeTotal.Rank);
        Assert.Equal(DType.Float64, fakeTotal.DType);
        Assert.Equal(expected, cpuTotal.Item(), 1e-9 * expected);
        Assert.Equal(cpuTotal.Item(), fakeTotal.Item());
        double coef = Math.Min(1, maxNorm / (expected + 1e-6));
        for (int i = 0; i < cpu.Length; i++)
        {
            Assert.Equal(cpu[i].Grad!.ToArray<double>(), fake[i].Grad!.ToArray<double>());
            Assert.Equal(FakeDevice.Device, fake[i].Grad!.Device);
        }
        var clipped = Expected(cpu, normType);
        Assert.Equal(coef < 1 ? maxNorm : expected, clipped, 1e-5 * clipped);
    }

    // The joint norm computed on the host in double.
    private static double Expected(Tensor[] ps, double p)
    {
        var all = ps.SelectMany(t => t.Grad!.ToArray<double>()).Select(Math.Abs).ToArray();
        return double.IsPositiveInfinity(p) ? all.Max() : Math.Pow(all.Sum(v => Math.Pow(v, p)), 1 / p);
    }

    [Fact]
    public void ClipGradNormRejectsGradientsOnTwoDevices()
    {
        var a = Tensor.Zeros([2]);
        var b = Tensor.Zeros([2]);
        a.Grad = Tensor.Ones([2]);
        b.Grad = Tensor.Ones([2]).ToFake();
        var e = Assert.Throws<ArgumentException>(() => Utils.ClipGradNorm_([a, b], 1.0));
        Assert.Contains("ClipGradNorm_", e.Message);
        Assert.Contains(FakeDevice.Device.ToString(), e.Message);
        Assert.Equal(0.0, Utils.ClipGradNorm_([Tensor.Zeros([1])], 1.0).Item());
    }

    [Fact]
    public void ClipGradNormWithNonfiniteGradientsThrowsWhenAsked()
    {
        var a = Tensor.Zeros([2]);
        a.Grad = Tensor.FromArray(new[] { float.PositiveInfinity, 1f }, 2).ToFake();
        var e = Assert.Throws<InvalidOperationException>(() => Utils.ClipGradNorm_([a], 1.0, errorIfNonfinite: true));
        Assert.Contains("non-finite", e.Message);
    }

    [Theory]
    [InlineData(DType.Float32, 0.3)]
    [InlineData(DType.Float64, 0.5)]
    [InlineData(DType.Float32, 1.0)]
    public void DropoutDrawsTheSameMaskOnEveryDevice(DType dtype, double p)
    {
        var x = Tensor.RandN([33, 17], new Generator(2), dtype);
        var onCpu = F.Dropout(x, p, training: true, new Generator(9));
        var onFake = F.Dropout(x.ToFake(), p, training: true, new Generator(9));
        Assert.Equal(FakeDevice.Device, onFake.Device);
        Assert.Equal(onCpu.ToArray<double>(), onFake.ToArray<double>());
        // Kept elements are scaled by 1/(1 − p) rounded in the dtype.
        var xs = x.ToArray<double>();
        var ys = onCpu.ToArray<double>();
        double scale = dtype == DType.Float32 ? (double)(float)(1f / (float)(1 - p)) : 1 / (1 - p);
        for (int i = 0; i < xs.Length; i++)
            if (ys[i] != 0)
                Assert.Equal(dtype == DType.Float32 ? (double)(float)((float)xs[i] * (float)scale) : xs[i] * scale, ys[i]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NonInvertedDropoutRunsOnTheDeviceLikeTheCpu(bool training)
    {
        var x = Tensor.RandN([19, 23], new Generator(4));
        var onCpu = F.Dropout(x, 0.3, training, new Generator(6), inverted: false);
        var onFake = F.Dropout(x.ToFake(), 0.3, training, new Generator(6), inverted: false);
        Assert.Equal(FakeDevice.Device, onFake.Device);
        Assert.Equal(onCpu.ToArray<float>(), onFake.ToArray<float>());
    }

    [Fact]
    public void InitializersFillOnTheDevice()
    {
        Func<Tensor, Tensor>[] inits =
        [
            t => Init.Uniform_(t, -1, 2, new Generator(1)),
            t => Init.Normal_(t, 0.5, 2, new Generator(2)),
            t => Init.KaimingUniform_(t, generator: new Generator(3)),
            t => Init.XavierNormal_(t, generator: new Generator(4)),
            t => Init.Constant_(t, 0.25),
            Init.Ones_,
        ];
        foreach (var init in inits)
        {
            var cpu = Tensor.Zeros([6, 4]);
            var fake = Tensor.Zeros([6, 4]).ToFake();
            Assert.Same(cpu, init(cpu));
            Assert.Same(fake, init(fake));
            Assert.Equal(FakeDevice.Device, fake.Device);
            Assert.Equal(cpu.ToArray<float>(), fake.ToArray<float>());
        }
        // A strided target is filled through a dense temporary on its device.
        var strided = Tensor.Zeros([4, 6]).ToFake().Transpose(0, 1);
        Init.Normal_(strided, 0, 1, new Generator(2));
        var dense = Init.Normal_(Tensor.Zeros([6, 4]), 0, 1, new Generator(2));
        Assert.Equal(dense.ToArray<float>(), strided.ToArray<float>());
    }
}

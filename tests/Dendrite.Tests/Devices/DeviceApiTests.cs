namespace Dendrite.Tests.Devices;

public sealed class DeviceApiTests
{
    [Theory]
    [InlineData("cpu", "cpu")]
    [InlineData("CPU", "cpu")]
    [InlineData(" cuda ", "cuda:0")]
    [InlineData("cuda:0", "cuda:0")]
    [InlineData("cuda:3", "cuda:3")]
    [InlineData("cuda:12", "cuda:12")]
    [InlineData("ilgpu-cpu", "ilgpu-cpu")]
    public void ParsePrintsLikePyTorch(string text, string printed)
    {
        Assert.Equal(printed, Device.Parse(text).ToString());
        Assert.True(Device.TryParse(text, out var d));
        Assert.Equal(printed, d.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("cuda:+1")]
    public void ParseRejectsNonDevices(string text)
    {
        var e = Assert.Throws<FormatException>(() => Device.Parse(text));
        Assert.Contains("Device.Parse", e.Message);
        Assert.Contains("cuda:N", e.Message);
        Assert.False(Device.TryParse(text, out _));
    }

    [Fact]
    public void DevicesCompareByValue()
    {
        Assert.Equal(Device.Cuda(1), Device.Parse("cuda:1"));
        Assert.True(Device.Cuda(7) == Device.Parse("cuda:7"));
        Assert.Equal(Device.Cuda(9).GetHashCode(), Device.Cuda(9).GetHashCode());
        Assert.Equal(Device.Cuda(), Device.Cuda(0));
        Assert.NotEqual(Device.Cuda(0), Device.Cuda(1));
        Assert.True(Device.Cpu != Device.IlgpuCpu);
        Assert.False(Device.Cpu.Equals(null));
        Assert.True((Device?)null == null);
        Assert.Same(Device.Cpu, Device.Parse("cpu"));
        Assert.True(Device.Cpu.IsCpu);
        Assert.False(Device.Cuda().IsCpu);
        Assert.Equal(DeviceType.Cuda, Device.Cuda(2).Type);
        Assert.Equal(2, Device.Cuda(2).Index);
    }

    [Fact]
    public void CudaIndexMustBeNonNegative()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Device.Cuda(-1));
        Assert.Contains("Device.Cuda", e.Message);
        Assert.Contains("-1", e.Message);
    }

    [Fact]
    public void CudaAvailabilityComesWithAReason()
    {
        var list = Device.List();
        Assert.Equal(Device.Cpu, list[0].Device);
        Assert.Contains(list, info => info.Device == Device.IlgpuCpu);
        if (Device.CudaIsAvailable)
        {
            Assert.Null(Device.CudaUnavailableReason);
            Assert.True(Device.CudaCount > 0);
            Assert.Contains(list, info => info.Device == Device.Cuda(0) && info.ComputeCapability is not null);
            return;
        }
        // No GPU here: the reason says what is missing, and the listing repeats it.
        Assert.Equal(0, Device.CudaCount);
        Assert.False(string.IsNullOrWhiteSpace(Device.CudaUnavailableReason));
        Assert.Contains(list, info => info.Device.Type == DeviceType.Cuda && info.Note!.Contains(Device.CudaUnavailableReason!));
    }

    [Fact]
    public void AnUnavailableDeviceSaysWhyWhenUsed()
    {
        if (Device.CudaIsAvailable)
        {
            var bad = Assert.Throws<InvalidOperationException>(() => Tensor.Ones([2]).To(Device.Cuda(Device.CudaCount + 3)));
            Assert.Contains($"cuda:{Device.CudaCount + 3}", bad.Message);
            return;
        }
        var e = Assert.Throws<InvalidOperationException>(() => Tensor.Ones([2]).To(Device.Cuda()));
        Assert.Contains("cuda:0", e.Message);
        Assert.Contains(Device.CudaUnavailableReason!, e.Message);
        e = Assert.Throws<InvalidOperationException>(() => new Dendrite.NN.Linear(2, 3).To(Device.Cuda(1)));
        Assert.Contains("cuda:1", e.Message);
    }

    [Fact]
    public void ToTheSameDeviceIsANoOp()
    {
        var t = Tensor.Arange(0, 6, 1).Reshape(2, 3);
        Assert.Same(t, t.To(Device.Cpu));
        Assert.Same(t, t.Cpu());
        Assert.Same(t, t.To(Device.Parse("cpu")));
        Assert.Equal(Device.Cpu, t.Device);
    }

    [Fact]
    public void CreationFunctionsTakeTheCpuDevice()
    {
        var cpu = Device.Cpu;
        Tensor[] made =
        [
            Tensor.Zeros([2, 3], device: cpu), Tensor.Ones([2], device: cpu), Tensor.Full([2], 7, device: cpu),
            Tensor.Empty([4], device: cpu), Tensor.Scalar(3, device: cpu), Tensor.Rand([3], device: cpu),
            Tensor.RandN([3], device: cpu), Tensor.RandInt(0, 5, [3], device: cpu), Tensor.RandPerm(4, device: cpu),
            Tensor.Arange(0, 3, 1, device: cpu), Tensor.Linspace(0, 1, 5, device: cpu), Tensor.Eye(3, device: cpu),
            Tensor.FromArray(new float[] { 1, 2 }, [2], cpu), Tensor.FromArray(new double[] { 1 }, [1], cpu),
            Tensor.FromArray(new long[] { 1 }, [1], cpu), Tensor.FromArray(new bool[] { true }, [1], cpu),
            Tensor.FromArray(new float[,] { { 1, 2 } }, cpu),
        ];
        foreach (var t in made)
            Assert.Equal(cpu, t.Device);
        Assert.Equal([7f, 7f], Tensor.Full([2], 7, device: cpu).ToArray<float>());
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1.0], Tensor.Linspace(0, 1, 5, DType.Float64, device: cpu).ToArray<double>());
        // The same draws as without a device argument.
        Assert.Equal(Tensor.RandN([5], new Generator(4)).ToArray<float>(), Tensor.RandN([5], new Generator(4), device: cpu).ToArray<float>());
    }

    [Fact]
    public void LikeFunctionsKeepTheDevice()
    {
        var t = Tensor.Ones([2, 2], DType.Float64);
        foreach (var like in new[] { Tensor.ZerosLike(t), Tensor.OnesLike(t), Tensor.FullLike(t, 2), Tensor.EmptyLike(t), Tensor.RandLike(t), Tensor.RandNLike(t) })
        {
            Assert.Equal(t.Device, like.Device);
            Assert.Equal(DType.Float64, like.DType);
        }
    }
}

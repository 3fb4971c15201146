using Dendrite.Autograd;

namespace Dendrite.Tests.Devices;

// Tensors on a second device (the fake one, see FakeDevice): copies, autograd across the copy, mixed-device errors,
// printing and gradient checks.
public sealed class TensorDeviceTests
{
    [Fact]
    public void ToAndBackRoundTripsEveryDType()
    {
        var f = Tensor.FromArray(new float[] { 1.5f, -2, 3.25f, float.NaN, 0, 6 }, 2, 3);
        var d = Tensor.FromArray(new double[] { 1e-300, -2 }, 2);
        var l = Tensor.FromArray(new long[] { long.MaxValue, -1, 0 }, 3);
        var b = Tensor.FromArray(new bool[] { true, false }, 2);
        foreach (var t in new[] { f, d, l, b })
        {
            var onFake = t.ToFake();
            Assert.Equal(FakeDevice.Device, onFake.Device);
            Assert.Equal(t.DType, onFake.DType);
            Assert.Equal(t.Shape, onFake.Shape);
            var back = onFake.Cpu();
            Assert.Equal(Device.Cpu, back.Device);
            Assert.NotSame(t, back);
            Assert.Equal(t.ToArray<double>(), back.ToArray<double>());
            // ToArray and Item copy from the device directly.
            Assert.Equal(t.ToArray<double>(), onFake.ToArray<double>());
        }
        Assert.Equal(-2.0, d.ToFake()[1].Item());
        Assert.Equal(1.5f, f.ToFake()[0, 0].Item<float>());
    }

    [Fact]
    public void AStridedViewIsCopiedInRowMajorOrder()
    {
        var t = Tensor.Arange(0, 12, 1).Reshape(3, 4).Transpose(0, 1);
        var onFake = t.ToFake();
        Assert.True(onFake.IsContiguous);
        Assert.Equal(t.ToArray<float>(), onFake.ToArray<float>());
        Assert.Equal(t.ToArray<float>(), onFake.Transpose(0, 1).Transpose(0, 1).ToArray<float>());
    }

    [Fact]
    public void GradientsFlowBackAcrossTheCopy()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3 }, 3);
        x.RequiresGrad = true;
        var y = x.ToFake();
        Assert.Equal("ToCopyBackward", y.GradFn!.Name);
        (y * y).Sum().Backward();
        Assert.Equal(Device.Cpu, x.Grad!.Device);
        Assert.Equal([2.0, 4.0, 6.0], x.Grad.ToArray<double>());
    }

    [Fact]
    public void MixedDevicesThrowNamingTheOpAndBothDevices()
    {
        var cpu = Tensor.Ones([2, 2]);
        var fake = Tensor.Ones([2, 2]).ToFake();
        var e = Assert.Throws<ArgumentException>(() => fake.MatMul(cpu));
        Assert.Equal($"MatMul: expected all tensors to be on the same device, but found {FakeDevice.Device} and cpu.", e.Message);
        e = Assert.Throws<ArgumentException>(() => cpu.Add(fake));
        Assert.Contains("cpu", e.Message);
        Assert.Contains(FakeDevice.Device.ToString(), e.Message);
    }

    [Fact]
    public void PrintingCopiesToTheHostAndNamesTheDevice()
    {
        var t = Tensor.FromArray(new float[] { 1, 2.5f }, 2);
        Assert.Equal("tensor([1.0000, 2.5000])", t.ToString());
        Assert.Equal($"tensor([1.0000, 2.5000], device='{FakeDevice.Device}')", t.ToFake().ToString());
        var d = Tensor.FromArray(new double[] { 1, 2 }, 2);
        d.RequiresGrad = true;
        Assert.Equal($"tensor([1., 2.], device='{FakeDevice.Device}', dtype=Float64, gradFn=<ToCopyBackward>)", d.ToFake().ToString());
        var big = Tensor.Arange(0, 2000, 1).ToFake();
        Assert.Contains(", ..., ", big.ToString());
        Assert.EndsWith($"], device='{FakeDevice.Device}', shape=[2000])", big.ToString());
    }

    [Fact]
    public void GradCheckRunsOnTheInputsDevice()
    {
        var a = Tensor.RandN([3, 4], new Generator(1), DType.Float64).ToFake();
        var b = Tensor.RandN([4, 2], new Generator(2), DType.Float64).ToFake();
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        Assert.True(GradCheck.Check(xs => xs[0].MatMul(xs[1]).Tanh(), [a, b]));
        // The inputs are restored exactly.
        Assert.Equal(Tensor.RandN([3, 4], new Generator(1), DType.Float64).ToArray<double>(), a.ToArray<double>());
        // A gradient made wrong by a hook (1.5 times the true one) fails on the device too.
        var wrong = Assert.Throws<GradCheckException>(() => GradCheck.Check(xs =>
        {
            var y = xs[0] * xs[0];
            if (y.RequiresGrad)
                y.RegisterHook(g => g * 1.5);
            return y;
        }, [a]));
        Assert.Contains("Jacobian mismatch", wrong.Message);
    }
}

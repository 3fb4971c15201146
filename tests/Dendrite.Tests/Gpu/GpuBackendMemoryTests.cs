namespace Dendrite.Tests.Gpu;

/// <summary>The GPU backend's memory primitives on ilgpu-cpu: allocation, transfers, strided copies, fills, conversions.</summary>
[Trait("Category", "Gpu")]
public sealed class GpuBackendMemoryTests
{
    private static readonly Device D = Device.IlgpuCpu;

    [Fact]
    public void RoundTripsEveryDtype()
    {
        Assert.Equal(new[] { 1.5f, -2f, 3f }, Tensor.FromArray(new[] { 1.5f, -2f, 3f }, [3], D).ToArray<float>());
        Assert.Equal(new[] { 1.5, -2.0 }, Tensor.FromArray(new[] { 1.5, -2.0 }, [2], D).ToArray<double>());
        Assert.Equal(new[] { 7L, -9L }, Tensor.FromArray(new[] { 7L, -9L }, [2], D).ToArray<long>());
        Assert.Equal(new[] { true, false, true }, Tensor.FromArray(new[] { true, false, true }, [3], D).ToArray<bool>());
        var t = Tensor.FromArray(new[] { 1f, 2f, 3f, 4f }, [2, 2], D);
        Assert.Equal(D, t.Device);
        Assert.Equal(4.0, t[1, 1].Item());
    }

    [Fact]
    public void StridedCopiesFillsAndConversions()
    {
        var host = Tensor.Arange(0, 12, 1, DType.Float64).Reshape(3, 4);
        var dev = host.To(D);
        Assert.Equal(host.T.Contiguous().ToArray<double>(), dev.T.Contiguous().ToArray<double>());
        Assert.Equal(host[.., 1].ToArray<double>(), dev[.., 1].ToArray<double>());
        var z = Tensor.Zeros([3, 4], DType.Float64, device: D);
        z.T.CopyFrom(Tensor.Ones([4, 3], DType.Float64));
        Assert.All(z.ToArray<double>(), v => Assert.Equal(1.0, v));
        var f = Tensor.Full([2, 3], 2.5, device: D);
        f[.., 1].Fill(-1);
        Assert.Equal(new[] { 2.5f, -1f, 2.5f, 2.5f, -1f, 2.5f }, f.ToArray<float>());
        Assert.Equal(new[] { 2L, -1L, 2L, 2L, -1L, 2L }, f.To(DType.Int64).ToArray<long>());
        Assert.Equal(new[] { true, true, true, true, true, true }, f.To(DType.Bool).ToArray<bool>());
        Assert.Equal(new[] { 1.0, 0.0 }, Tensor.FromArray(new[] { true, false }, [2], D).To(DType.Float64).ToArray<double>());
    }
}

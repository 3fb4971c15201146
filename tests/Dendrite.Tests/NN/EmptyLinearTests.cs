using Dendrite.NN;
using Dendrite.Tests.Devices;

namespace Dendrite.Tests.NN;

/// <summary>
/// Linear layers and matrix products with an empty inner dimension (no input features): as in PyTorch, the output is
/// the bias (or zeros), and the gradients are empty or the summed output gradient; never uninitialized memory.
/// </summary>
public sealed class EmptyLinearTests
{
    public static TheoryData<string> Devices => new() { "cpu", "ilgpu-cpu" };

    [Theory]
    [MemberData(nameof(Devices))]
    public void LinearWithNoInputFeaturesGivesTheBias(string device)
    {
        var dev = Device.Parse(device);
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var x = Tensor.Zeros([4, 0], dtype, device: dev);
            var w = Tensor.Zeros([3, 0], dtype, requiresGrad: true, device: dev);
            var b = Tensor.FromArray(new double[] { 1.5, -2, 7 }).To(dtype).To(dev);
            b.RequiresGrad = true;
            // Garbage in the allocator's recycled blocks must not show through: fill a few same-sized buffers first.
            for (int i = 0; i < 4; i++)
                _ = Tensor.Full([4, 3], 123.0, dtype, device: dev).Add(1);
            var y = F.Linear(x, w, b);
            Assert.Equal(new[] { 4, 3 }, y.Shape);
            Assert.Equal(new[] { 1.5, -2, 7, 1.5, -2, 7, 1.5, -2, 7, 1.5, -2, 7 }, y.To(DType.Float64).ToArray<double>());
            var noBias = F.Linear(x, w, null);
            Assert.All(noBias.To(DType.Float64).ToArray<double>(), v => Assert.Equal(0.0, v));

            y.Mul(Tensor.FromArray(new double[] { 1, 2, 3 }).To(dtype).To(dev)).Sum().Backward();
            Assert.Equal(new[] { 3, 0 }, w.Grad!.Shape);
            Assert.Equal(new[] { 4.0, 8, 12 }, b.Grad!.To(DType.Float64).ToArray<double>());
        }
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void MatMulWithAnEmptyInnerDimensionIsZero(string device)
    {
        var dev = Device.Parse(device);
        for (int i = 0; i < 4; i++)
            _ = Tensor.Full([2, 5], 9.0, device: dev).Add(1);
        var a = Tensor.Zeros([2, 0], device: dev);
        var c = Tensor.Zeros([0, 5], device: dev);
        var y = a.MatMul(c);
        Assert.Equal(new[] { 2, 5 }, y.Shape);
        Assert.All(y.ToArray<float>(), v => Assert.Equal(0f, v));
    }
}

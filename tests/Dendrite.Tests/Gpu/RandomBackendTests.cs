using Dendrite.NN;
using static Dendrite.Tests.Gpu.GpuParity;

namespace Dendrite.Tests.Gpu;

/// <summary>Random fills on ilgpu-cpu draw the CPU's numbers from the same generator state.</summary>
[Trait("Category", "Gpu")]
public sealed class RandomBackendTests
{
    public static IEnumerable<object[]> DTypes() => [[DType.Float32], [DType.Float64]];

    [Theory]
    [MemberData(nameof(DTypes))]
    public void UniformAndNormalFillsEqualTheCpu(DType dtype)
    {
        AssertClose(Tensor.Rand([3, 7], new Generator(5), dtype), Tensor.Rand([3, 7], new Generator(5), dtype, D), 0);
        // Box–Muller through DeviceMath's log and cos: within an ulp of Math.Log/Math.Cos.
        AssertClose(Tensor.RandN([4, 5], new Generator(6), dtype), Tensor.RandN([4, 5], new Generator(6), dtype, D), 1e-15);
        // A generator continues where the last fill stopped, on either device.
        var gc = new Generator(7);
        var gg = new Generator(7);
        Tensor.Rand([3], gc, dtype);
        Tensor.Rand([3], gg, dtype, D);
        AssertClose(Init.Uniform_(Tensor.Empty([2, 3], dtype), -2, 3, gc), Init.Uniform_(Tensor.Empty([2, 3], dtype, D), -2, 3, gg), 0);
        AssertClose(Init.Normal_(Tensor.Empty([5], dtype), 1, 0.5, gc), Init.Normal_(Tensor.Empty([5], dtype, D), 1, 0.5, gg), 1e-15);
        AssertClose(Tensor.Rand([0], new Generator(8), dtype), Tensor.Rand([0], new Generator(8), dtype, D), 0);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void DropoutMasksEqualTheCpu(DType dtype)
    {
        var x = Random([6, 9], dtype, 80);
        foreach (double p in new[] { 0.1, 0.5, 0.9, 1.0 })
        {
            var cpu = F.Dropout(x, p, training: true, new Generator(9));
            var gpu = F.Dropout(x.To(D), p, training: true, new Generator(9));
            AssertClose(cpu, gpu, 0);
        }
    }
}

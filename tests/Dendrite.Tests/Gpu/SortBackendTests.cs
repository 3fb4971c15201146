using static Dendrite.Tests.Gpu.GpuParity;

namespace Dendrite.Tests.Gpu;

/// <summary>The GPU backend's merge sort on ilgpu-cpu against the CPU: values, indices (exact) and the gradient.</summary>
[Trait("Category", "Gpu")]
public sealed class SortBackendTests
{
    // Values in 0..4 (many ties) with some NaN and infinities.
    private static Tensor Keys(int[] shape, DType dtype, int seed)
    {
        var rng = new Random(seed);
        int n = shape.Aggregate(1, (a, b) => a * b);
        var data = new double[n];
        for (int i = 0; i < n; i++)
        {
            int r = rng.Next(24);
            data[i] = r switch { 0 => double.NaN, 1 => double.NegativeInfinity, 2 => double.PositiveInfinity, 3 => -0.0, _ => r % 5 };
        }
        return Tensor.FromArray(data, shape).To(dtype);
    }

    public static IEnumerable<object[]> Cases()
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
            foreach (bool descending in new[] { false, true })
                yield return [dtype, descending];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ValuesAndIndicesMatchTheCpuExactly(DType dtype, bool descending)
    {
        // Line lengths around powers of two (1, 2, 3, 5, 8, 17, 64, 100) along first, middle and last dims.
        foreach (int size in new[] { 1, 2, 3, 5, 8, 17, 64, 100 })
        {
            var x = Keys([3, size, 4], dtype, 7 * size + (descending ? 1 : 0));
            foreach (int dim in new[] { 0, 1, 2 })
            {
                var (vc, ic) = x.Sort(dim, descending);
                var (vg, ig) = x.To(D).Sort(dim, descending);
                AssertClose(ic, ig, 0, $"indices (size {size}, dim {dim})");
                AssertClose(vc, vg, 0, $"values (size {size}, dim {dim})");
            }
        }
    }

    [Fact]
    public void Int64BoolAndStridedInputsMatchTheCpu()
    {
        var labels = Tensor.RandInt(-3, 3, [5, 37], new Generator(3));
        AssertClose(labels.ArgSort(1), labels.To(D).ArgSort(1), 0);
        AssertClose(labels.Sort(0, descending: true).Values, labels.To(D).Sort(0, descending: true).Values, 0);
        var mask = labels.Gt(0);
        AssertClose(mask.Sort(1).Values, mask.To(D).Sort(1).Values, 0);
        AssertClose(mask.ArgSort(1, descending: true), mask.To(D).ArgSort(1, descending: true), 0);
        var x = Keys([6, 9], DType.Float32, 4);
        AssertClose(x.T.ArgSort(), x.To(D).T.ArgSort(), 0);
        var (v, i) = Tensor.Zeros([0, 4], device: D).Sort();
        Assert.Equal(new[] { 0, 4 }, v.Shape);
        Assert.Equal(new[] { 0, 4 }, i.Shape);
        Assert.Equal(0L, Tensor.Scalar(1.5, device: D).ArgSort().Item<long>());
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void GradientMatchesTheCpu(DType dtype)
    {
        Check(x => x.Sort(1).Values, Random([4, 13, 3], dtype, 21));
        Check(x => x.Sort(0, descending: true).Values * 2.0, Random([9, 5], dtype, 22));
    }
}

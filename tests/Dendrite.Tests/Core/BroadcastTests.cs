namespace Dendrite.Tests.Core;

public sealed class BroadcastTests
{
    [Theory]
    [InlineData(new[] { 3, 1 }, new[] { 1, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4 }, new[] { 2, 3, 4 })]
    [InlineData(new[] { 5, 1, 3 }, new[] { 4, 1 }, new[] { 5, 4, 3 })]
    [InlineData(new[] { 1 }, new[] { 2, 2 }, new[] { 2, 2 })]
    [InlineData(new int[0], new[] { 2, 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 0, 3 }, new[] { 1, 3 }, new[] { 0, 3 })]
    public void ResultShapeFollowsNumPyRules(int[] a, int[] b, int[] expected)
    {
        var x = Tensor.Ones(a, DType.Float32);
        var y = Tensor.Ones(b, DType.Float32);
        Assert.Equal(expected, (x + y).Shape);
        Assert.Equal(expected, (y * x).Shape);
        Assert.Equal(expected, x.Lt(y).Shape);
    }

    [Fact]
    public void BroadcastValuesAreRepeatedAlongExpandedDims()
    {
        var col = Tensor.FromArray(new double[] { 1, 2, 3 }, 3, 1);
        var row = Tensor.FromArray(new double[] { 10, 20 }, 1, 2);
        Assert.Equal(new double[] { 11, 21, 12, 22, 13, 23 }, (col + row).ToArray<double>());
        Assert.Equal(new double[] { -9, -19, -8, -18, -7, -17 }, (col - row).ToArray<double>());
    }

    [Fact]
    public void BroadcastWorksOnNonContiguousOperands()
    {
        var x = Tensor.Arange(0, 6, 1, DType.Float64).Reshape(2, 3).T; // [3, 2], strides [1, 3]
        var b = Tensor.FromArray(new double[] { 100, 200 });
        Assert.Equal(new double[] { 100, 203, 101, 204, 102, 205 }, (x + b).ToArray<double>());
    }

    [Fact]
    public void IncompatibleShapesGiveAClearError()
    {
        var a = Tensor.Zeros(2, 3);
        var b = Tensor.Zeros(4);
        var e = Assert.Throws<ArgumentException>(() => a.Add(b));
        Assert.Equal("Add: shapes [2, 3] and [4] cannot be broadcast together: size 3 and size 4 differ at dimension 1 (sizes must match or be 1).", e.Message);
        var m = Assert.Throws<ArgumentException>(() => a.Mul(Tensor.Zeros(3, 3)));
        Assert.StartsWith("Mul: shapes [2, 3] and [3, 3] cannot be broadcast together", m.Message);
    }

    [Fact]
    public void MixedDTypesPromoteLikePyTorch()
    {
        var f32 = Tensor.Ones(2);
        var f64 = Tensor.Ones([2], DType.Float64);
        var i64 = Tensor.FromArray(new long[] { 1, 2 });
        Assert.Equal(DType.Float64, (f32 + f64).DType);
        Assert.Equal(DType.Float32, (f32 * i64).DType);
        Assert.Equal(new float[] { 2, 3 }, (f32 + i64).ToArray<float>());
    }
}

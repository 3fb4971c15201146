namespace Dendrite.Tests.Ops;

public sealed class SoftmaxTests
{
    [Fact]
    public void SoftmaxIsStableForLargeLogits()
    {
        var big = Tensor.FromArray(new double[] { 1000, 1001, 1002 }).Softmax(0).ToArray<double>();
        var small = Tensor.FromArray(new double[] { 0, 1, 2 }).Softmax(0).ToArray<double>();
        for (int i = 0; i < 3; i++)
            Assert.Equal(small[i], big[i], 14);
        var f = Tensor.FromArray(new float[] { -1e4f, 1e4f }).Softmax(0).ToArray<float>();
        Assert.Equal(new float[] { 0, 1 }, f);
    }

    [Fact]
    public void LogSoftmaxIsStableAndExact()
    {
        var y = Tensor.FromArray(new double[] { -1000, 0 }).LogSoftmax(0).ToArray<double>();
        Assert.Equal(-1000.0, y[0], 9);
        Assert.Equal(0.0, y[1], 12);
        var f = Tensor.FromArray(new float[] { 0, 200 }).LogSoftmax(0).ToArray<float>();
        Assert.Equal(-200f, f[0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void SlicesSumToOneAlongTheDim(int dim)
    {
        var x = Tensor.RandN([3, 4, 5], new Generator(2), DType.Float64);
        var s = x.Softmax(dim).Sum(dim).ToArray<double>();
        Assert.All(s, v => Assert.Equal(1.0, v, 12));
        var ls = x.LogSoftmax(dim).Exp().Sum(dim).ToArray<double>();
        Assert.All(ls, v => Assert.Equal(1.0, v, 12));
        var t = x.Transpose(0, 2); // non-contiguous input
        Assert.All(t.Softmax(dim).Sum(dim).ToArray<double>(), v => Assert.Equal(1.0, v, 12));
    }

    [Fact]
    public void LogSumExpMatchesTheDefinitionAndStaysFinite()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var lse = x.LogSumExp(1).ToArray<double>();
        Assert.Equal(Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), lse[0], 12);
        Assert.Equal(Math.Log(Math.Exp(4) + Math.Exp(5) + Math.Exp(6)), lse[1], 12);
        Assert.Equal(new[] { 1, 3 }, x.LogSumExp(0, keepDim: true).Shape);
        Assert.Equal(1000 + Math.Log(2), Tensor.FromArray(new double[] { 1000, 1000 }).LogSumExp(0).Item(), 9);
        Assert.Equal(double.NegativeInfinity, Tensor.FromArray(new[] { double.NegativeInfinity, double.NegativeInfinity }).LogSumExp(0).Item());
    }

    [Fact]
    public void SoftmaxOfMinusInfinityEntriesIsZeroWithZeroGradient()
    {
        var x = Tensor.FromArray(new[] { 0.0, double.NegativeInfinity, 1.0 });
        x.RequiresGrad = true;
        var y = x.Softmax(0);
        Assert.Equal(0.0, y.ToArray<double>()[1]);
        y.Backward(Tensor.FromArray(new double[] { 1, 2, 3 }));
        Assert.Equal(0.0, x.Grad!.ToArray<double>()[1]);
    }
}

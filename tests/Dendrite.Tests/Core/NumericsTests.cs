namespace Dendrite.Tests.Core;

public sealed class NumericsTests
{
    [Fact]
    public void LogOfNegativeIsNaNAndLogOfZeroIsMinusInfinity()
    {
        var y = Tensor.FromArray(new double[] { -1, 0, 1 }).Log().ToArray<double>();
        Assert.True(double.IsNaN(y[0]));
        Assert.Equal(double.NegativeInfinity, y[1]);
        Assert.Equal(0.0, y[2]);
        var f = Tensor.FromArray(new float[] { -2, 0 }).Log().ToArray<float>();
        Assert.True(float.IsNaN(f[0]));
        Assert.Equal(float.NegativeInfinity, f[1]);
    }

    [Fact]
    public void SqrtOfNegativeIsNaN()
        => Assert.True(double.IsNaN(Tensor.FromArray(new double[] { -4 }).Sqrt().Item()));

    [Fact]
    public void DivisionByZeroFollowsIeee()
    {
        var y = Tensor.FromArray(new double[] { 1, -1, 0 }).Div(0.0).ToArray<double>();
        Assert.Equal(double.PositiveInfinity, y[0]);
        Assert.Equal(double.NegativeInfinity, y[1]);
        Assert.True(double.IsNaN(y[2]));
    }
}

namespace Dendrite.Tests.Core;

/// <summary>ToString follows PyTorch's print format; only the keyword names differ (requiresGrad=True, gradFn=, dtype=Float64).</summary>
public sealed class FormatTests
{
    [Fact]
    public void ShapesAndStridesPrintAsSizeLists()
    {
        var t = Tensor.Zeros(2, 3, 4);
        Assert.Equal("[2, 3, 4]", t.Shape.ToString());
        Assert.Equal("[12, 4, 1]", t.Strides.ToString());
        Assert.Equal("[]", Tensor.Scalar(1.0).Shape.ToString());
        Assert.Equal("shape [4, 3]", $"shape {t[0].T.Shape}");
        Assert.Equal([2, 3, 4], t.Shape);
    }

    [Fact]
    public void MatrixWithFractions()
        => Assert.Equal("tensor([[ 1.0000,  2.5000],\n        [-3.0000,  4.0000]])", Tensor.FromArray(new float[,] { { 1, 2.5f }, { -3, 4 } }).ToString());

    [Fact]
    public void IntegralFloatsPrintWithATrailingDot()
        => Assert.Equal("tensor([1., 2., 3.])", Tensor.FromArray(new float[] { 1, 2, 3 }).ToString());

    [Fact]
    public void Float64ShowsItsDType()
        => Assert.Equal("tensor([1., 2.], dtype=Float64)", Tensor.FromArray(new double[] { 1, 2 }).ToString());

    [Fact]
    public void LeafThatRequiresGrad()
    {
        var t = Tensor.FromArray(new float[,] { { 1, 2.5f }, { -3, 4 } });
        t.RequiresGrad = true;
        Assert.Equal("tensor([[ 1.0000,  2.5000],\n        [-3.0000,  4.0000]], requiresGrad=True)", t.ToString());
    }

    [Fact]
    public void ComputedTensorShowsItsGradFn()
    {
        var t = Tensor.FromArray(new float[] { 1, 2 });
        t.RequiresGrad = true;
        Assert.Equal("tensor([2., 4.], gradFn=<MulBackward>)", (t * 2.0).ToString());
        var d = Tensor.Scalar(1, DType.Float64, requiresGrad: true) * 2.0;
        Assert.Equal("tensor(2., dtype=Float64, gradFn=<MulBackward>)", d.ToString());
    }

    [Fact]
    public void ScalarsIntegersAndBools()
    {
        Assert.Equal("tensor(3.5000)", Tensor.Scalar(3.5).ToString());
        Assert.Equal("tensor([  1, -20, 300])", Tensor.FromArray(new long[] { 1, -20, 300 }).ToString());
        Assert.Equal("tensor([ True, False])", Tensor.FromArray(new[] { true, false }).ToString());
    }

    [Theory]
    [InlineData(new[] { 1e-5, 1.0, 100.0 }, "tensor([1.0000e-05, 1.0000e+00, 1.0000e+02])")]
    [InlineData(new[] { 0.1, 12345.678 }, "tensor([1.0000e-01, 1.2346e+04])")]
    [InlineData(new[] { 0.001, 2.0 }, "tensor([1.0000e-03, 2.0000e+00])")]
    [InlineData(new[] { 0.5, 600.0 }, "tensor([5.0000e-01, 6.0000e+02])")]
    [InlineData(new[] { 1.0, 1500.0 }, "tensor([1.0000e+00, 1.5000e+03])")]
    [InlineData(new[] { 0.0, 1e9 }, "tensor([0.0000e+00, 1.0000e+09])")]
    [InlineData(new[] { -0.0001, 3.0 }, "tensor([-1.0000e-04,  3.0000e+00])")]
    [InlineData(new[] { 0.25, 30.0 }, "tensor([ 0.2500, 30.0000])")]
    public void ScientificNotationFollowsPyTorchsRule(double[] values, string expected)
        => Assert.Equal(expected, Tensor.FromArray(values).To(DType.Float32).ToString());

    [Fact]
    public void NonFiniteValues()
        => Assert.Equal("tensor([    nan,     inf, -1.5000])", Tensor.FromArray(new[] { float.NaN, float.PositiveInfinity, -1.5f }).ToString());

    [Fact]
    public void ThreeDimensionalBlocksAreSeparatedByABlankLine()
        => Assert.Equal("tensor([[[1., 2.],\n         [3., 4.]],\n\n        [[5., 6.],\n         [7., 8.]]])",
            Tensor.Arange(1, 9, 1).Reshape(2, 2, 2).ToString());

    [Fact]
    public void LargeTensorsAreElidedWithTheirShape()
    {
        var s = Tensor.Arange(0, 2000, 1).Reshape(2, 1000).ToString();
        Assert.Contains("...", s);
        Assert.StartsWith("tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00, ..., 9.9700e+02, 9.9800e+02, 9.9900e+02],", s);
        Assert.EndsWith(", shape=[2, 1000])", s);
        Assert.True(s.Length < 300);
    }
}

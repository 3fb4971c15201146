using Dendrite.Autograd;

namespace Dendrite.Tests.Core;

public sealed class SmokeTests
{
    [Fact]
    public void MlpGradientsMatchFiniteDifferences()
    {
        var g = new Generator(1);
        var x = Tensor.RandN([4, 3], g, DType.Float64);
        var w1 = Tensor.RandN([5, 3], g, DType.Float64); w1.RequiresGrad = true;
        var b1 = Tensor.RandN([5], g, DType.Float64); b1.RequiresGrad = true;
        var w2 = Tensor.RandN([5, 2], g, DType.Float64); w2.RequiresGrad = true;
        Assert.True(GradCheck.Check(t => x.Linear(t[0], t[1]).Tanh().MatMul(t[2]).Sigmoid().Sum(), [w1, b1, w2]));
    }

    [Fact]
    public void BackwardAccumulatesIntoLeaves()
    {
        var w = Tensor.FromArray(new[] { 1.0, 2.0, 3.0 });
        w.RequiresGrad = true;
        (w * w).Sum().Backward();
        (w * 3.0).Sum().Backward();
        Assert.Equal(new[] { 5.0, 7.0, 9.0 }, w.Grad!.ToArray<double>());
    }

    [Fact]
    public void PrintsLikePyTorch()
    {
        var t = Tensor.FromArray(new float[] { 1, 2.5f, -3, 4 }, 2, 2);
        Assert.Equal("tensor([[ 1.0000,  2.5000],\n        [-3.0000,  4.0000]])", t.ToString());
    }
}

using Dendrite.Autograd;

namespace Dendrite.Tests.Gradients;

/// <summary>Linear's backward picks a GEMM layout by shape; every layout must give the same gradients.</summary>
public sealed class LinearShapeTests
{
    [Theory]
    [InlineData(7, 40, 3)]    // narrow head: weight gradient through the transposed product
    [InlineData(5, 20, 16)]   // at the narrow bound
    [InlineData(6, 12, 17)]   // just past it
    [InlineData(4, 9, 5)]     // small on both sides
    public void GradientsMatchFiniteDifferences(int rows, int inF, int outF)
    {
        var g = new Generator((ulong)(rows * 1000 + inF * 10 + outF));
        var x = Tensor.RandN([rows, inF], g, DType.Float64);
        var w = Tensor.RandN([outF, inF], g, DType.Float64);
        var b = Tensor.RandN([outF], g, DType.Float64);
        foreach (var t in new[] { x, w, b })
            t.RequiresGrad = true;
        Assert.True(GradCheck.Check(t => t[0].Linear(t[1], t[2]).Tanh().Sum(), [x, w, b]));
    }

    [Fact]
    public void NarrowHeadWeightGradientEqualsTheDirectProduct()
    {
        var g = new Generator(5);
        var x = Tensor.RandN([256, 784], g);
        var w = Tensor.RandN([10, 784], g);
        w.RequiresGrad = true;
        var gy = Tensor.RandN([256, 10], g);
        x.Linear(w).Backward(gy);
        var expected = gy.T.MatMul(x);
        var diff = (w.Grad! - expected).Abs().Max().Item();
        Assert.True(diff < 1e-3, $"max difference {diff}");
    }
}

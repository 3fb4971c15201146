using Dendrite.Autograd;
using Dendrite.NN;
using static Dendrite.Tests.NN.FunctionalTestUtil;

namespace Dendrite.Tests.NN;

public sealed class FunctionalNormTests
{
    [Theory]
    [InlineData(new[] { 5, 3 })]
    [InlineData(new[] { 2, 3, 2, 3 })]
    public void BatchNormTrainingGradCheck(int[] shape)
    {
        var g = new Generator(21);
        var x = Leaf(g, shape);
        var w = Leaf(g, 3);
        var b = Leaf(g, 3);
        Assert.True(GradCheck.Check(t => F.BatchNorm(t[0], null, null, t[1], t[2], training: true), [x, w, b]));
        // Without an affine transform too.
        Assert.True(GradCheck.Check(t => F.BatchNorm(t[0], null, null, training: true, eps: 1e-3), [x]));
    }

    [Fact]
    public void BatchNormEvalGradCheck()
    {
        var g = new Generator(22);
        var x = Leaf(g, 2, 3, 2, 2);
        var w = Leaf(g, 3);
        var b = Leaf(g, 3);
        var rm = Tensor.RandN([3], g, DType.Float64);
        var rv = Tensor.Rand([3], g, DType.Float64).Add(0.5);
        Assert.True(GradCheck.Check(t => F.BatchNorm(t[0], rm, rv, t[1], t[2], training: false), [x, w, b]));
    }

    [Fact]
    public void BatchNormTrainingNormalizesAndUpdatesRunningStats()
    {
        var x = Tensor.FromArray(new double[] { 1, 10, 2, 20, 3, 30, 6, 40 }, 4, 2);
        var rm = Tensor.Zeros([2], DType.Float64);
        var rv = Tensor.Ones([2], DType.Float64);
        var y = F.BatchNorm(x, rm, rv, training: true, momentum: 0.1, eps: 0);
        // Channel 0: mean 3, biased var 3.5, unbiased 14/3. Channel 1: mean 25, biased var 125, unbiased 500/3.
        AssertClose([0.3, 2.5], rm.ToArray<double>(), 1e-12);
        AssertClose([0.9 + 0.1 * 14 / 3.0, 0.9 + 0.1 * 500 / 3.0], rv.ToArray<double>(), 1e-12);
        var v = y.ToArray<double>();
        AssertClose([(1 - 3) / Math.Sqrt(3.5), (10 - 25) / Math.Sqrt(125)], [v[0], v[1]], 1e-12);
    }

    [Fact]
    public void BatchNormBumpsRunningStatVersion()
    {
        var g = new Generator(23);
        var rm = Tensor.Zeros([3], DType.Float64);
        var w = Leaf(g, 3);
        var x = Leaf(g, 4, 3);
        // A graph that saved rm before the update must detect the in-place change.
        var saved = rm.Mul(w).Sum();
        F.BatchNorm(x, rm, null, training: true);
        var e = Assert.Throws<InvalidOperationException>(() => saved.Backward());
        Assert.Contains("in-place", e.Message);
    }

    [Fact]
    public void BatchNormEvalUsesRunningStats()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, 2, 2);
        var rm = Tensor.FromArray(new double[] { 1, 2 });
        var rv = Tensor.FromArray(new double[] { 4, 9 });
        var y = F.BatchNorm(x, rm, rv, Tensor.FromArray(new double[] { 2, 1 }), Tensor.FromArray(new double[] { 0, 1 }), training: false, eps: 0);
        AssertClose([0, 1, 2, 1 + 2 / 3.0], y.ToArray<double>(), 1e-12);
        AssertClose([1, 2], rm.ToArray<double>(), 0);
    }

    [Fact]
    public void BatchNormRejectsSingleValuePerChannelInTraining()
    {
        var e = Assert.Throws<ArgumentException>(() => F.BatchNorm(Tensor.Zeros(1, 4), null, null, training: true));
        Assert.Contains("more than 1 value per channel", e.Message);
        Assert.Throws<ArgumentException>(() => F.BatchNorm(Tensor.Zeros(2, 4), Tensor.Zeros(3), Tensor.Ones(3)));
    }

    [Fact]
    public void LayerNormGradCheckAndValues()
    {
        var g = new Generator(24);
        var x = Leaf(g, 3, 2, 4);
        var w = Leaf(g, 2, 4);
        var b = Leaf(g, 2, 4);
        Assert.True(GradCheck.Check(t => F.LayerNorm(t[0], [2, 4], t[1], t[2]), [x, w, b]));
        Assert.True(GradCheck.Check(t => F.LayerNorm(t[0], [4], eps: 1e-3), [x]));
        var y = F.LayerNorm(Tensor.FromArray(new double[] { 1, 2, 3, 4 }, 1, 4), [4], eps: 0).ToArray<double>();
        double s = Math.Sqrt(1.25);
        AssertClose([-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s], y, 1e-12);
    }

    [Fact]
    public void LayerNormRejectsMismatchedShape()
    {
        var e = Assert.Throws<ArgumentException>(() => F.LayerNorm(Tensor.Zeros(2, 5), [4]));
        Assert.Contains("[4]", e.Message);
        Assert.Contains("[2, 5]", e.Message);
    }
}

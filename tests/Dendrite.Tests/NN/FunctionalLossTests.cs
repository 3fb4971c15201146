using Dendrite.Autograd;
using Dendrite.NN;
using static Dendrite.Tests.NN.FunctionalTestUtil;

namespace Dendrite.Tests.NN;

public sealed class FunctionalLossTests
{
    /// <summary>The fused mean MSE gives the same bits as Sub → Square → Mean, value and both gradients, with a
    /// non-unit incoming gradient.</summary>
    [Theory]
    [InlineData(100, 1)]
    [InlineData(7, 3)]
    public void MeanMseEqualsTheComposedOps(int rows, int cols)
    {
        var g = new Generator(32);
        var x1 = Tensor.RandN([rows, cols], g);
        var t1 = Tensor.RandN([rows, cols], g);
        var x2 = x1.Clone();
        var t2 = t1.Clone();
        foreach (var v in new[] { x1, t1, x2, t2 })
            v.RequiresGrad = true;
        var fused = F.MseLoss(x1, t1);
        var composed = x2.Sub(t2).Square().Mean();
        Assert.Equal(composed.Item<float>(), fused.Item<float>());
        (fused * 3).Backward();
        (composed * 3).Backward();
        Assert.Equal(x2.Grad!.ToArray<float>(), x1.Grad!.ToArray<float>());
        Assert.Equal(t2.Grad!.ToArray<float>(), t1.Grad!.ToArray<float>());
    }

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void RegressionLossesGradCheck(Reduction reduction)
    {
        var g = new Generator(31);
        var x = Leaf(g, 3, 4);
        var t = Leaf(g, 3, 4);
        Assert.True(GradCheck.Check(a => F.MseLoss(a[0], a[1], reduction), [x, t]));
        Assert.True(GradCheck.Check(a => F.L1Loss(a[0], a[1], reduction), [x, t]));
        Assert.True(GradCheck.Check(a => F.HuberLoss(a[0], a[1], 0.7, reduction), [x, t]));
    }

    [Fact]
    public void HuberLossValues()
    {
        var x = Tensor.FromArray(new double[] { 0.5, 3.0, -2.0 });
        var t = Tensor.Zeros([3], DType.Float64);
        AssertClose([0.125, 2.5, 1.5], F.HuberLoss(x, t, reduction: Reduction.None).ToArray<double>(), 1e-12);
    }

    [Fact]
    public void BinaryCrossEntropyGradCheckAndValue()
    {
        var g = new Generator(32);
        var p = Tensor.Rand([3, 4], g, DType.Float64).Mul(0.8).Add(0.1);
        p.RequiresGrad = true;
        var t = Tensor.Rand([3, 4], g, DType.Float64);
        t.RequiresGrad = true;
        var w = Tensor.Rand([4], g, DType.Float64);
        Assert.True(GradCheck.Check(a => F.BinaryCrossEntropy(a[0], a[1], w), [p, t]));
        Assert.True(GradCheck.Check(a => F.BinaryCrossEntropy(a[0], a[1], reduction: Reduction.None), [p, t]));
        var v = F.BinaryCrossEntropy(Tensor.FromArray(new double[] { 0.8, 0.0 }), Tensor.FromArray(new double[] { 1, 1 }), reduction: Reduction.None);
        // log(0) is clamped to −100, as PyTorch.
        AssertClose([-Math.Log(0.8), 100], v.ToArray<double>(), 1e-12);
    }

    [Fact]
    public void BinaryCrossEntropyRejectsInputOutsideUnitInterval()
    {
        var x = Tensor.FromArray(new double[] { 0.2, 1.5, 0.3 });
        var e = Assert.Throws<ArgumentException>(() => F.BinaryCrossEntropy(x, Tensor.Ones([3], DType.Float64)));
        Assert.Contains("1.5", e.Message);
        Assert.Contains("[0, 1]", e.Message);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogitsGradCheckAndStability()
    {
        var g = new Generator(33);
        var x = Leaf(g, 3, 4);
        var t = Tensor.Rand([3, 4], g, DType.Float64);
        t.RequiresGrad = true;
        var pw = Tensor.Rand([4], g, DType.Float64).Add(0.5);
        pw.RequiresGrad = true;
        var w = Tensor.Rand([3, 1], g, DType.Float64);
        Assert.True(GradCheck.Check(a => F.BinaryCrossEntropyWithLogits(a[0], a[1]), [x, t]));
        Assert.True(GradCheck.Check(a => F.BinaryCrossEntropyWithLogits(a[0], a[1], w, a[2], Reduction.Sum), [x, t, pw]));
        // Large logits stay finite and match log(1 + e^(−|x|)) + max(x, 0) − x·t.
        var big = F.BinaryCrossEntropyWithLogits(Tensor.FromArray(new double[] { 800, -800, 30 }), Tensor.FromArray(new double[] { 0, 0, 1 }),
            reduction: Reduction.None).ToArray<double>();
        AssertClose([800, 0, Math.Log(1 + Math.Exp(-30))], big, 1e-12);
        // With a positive weight: −(pw·t·log σ(x) + (1 − t)·log(1 − σ(x))).
        double s = 1 / (1 + Math.Exp(-0.3));
        var withPw = F.BinaryCrossEntropyWithLogits(Tensor.FromArray(new double[] { 0.3 }), Tensor.FromArray(new double[] { 0.25 }),
            posWeight: Tensor.FromArray(new double[] { 2.0 }), reduction: Reduction.None).Item();
        Assert.Equal(-(2 * 0.25 * Math.Log(s) + 0.75 * Math.Log(1 - s)), withPw, 12);
    }

    [Fact]
    public void CrossEntropyGradCheckWithWeightsSmoothingAndIgnore()
    {
        var g = new Generator(34);
        var x = Leaf(g, 5, 4);
        var y = Tensor.FromArray(new long[] { 0, 3, -100, 2, 3 }, 5);
        var w = Tensor.Rand([4], g, DType.Float64).Add(0.5);
        Assert.True(GradCheck.Check(a => F.CrossEntropy(a[0], y, w, 0.2), [x]));
        Assert.True(GradCheck.Check(a => F.CrossEntropy(a[0], y, labelSmoothing: 0.1, reduction: Reduction.None), [x]));
        Assert.True(GradCheck.Check(a => F.CrossEntropy(a[0], y, w, reduction: Reduction.Sum), [x]));
    }

    [Fact]
    public void CrossEntropyMatchesLogSoftmaxNll()
    {
        var g = new Generator(35);
        var x = Tensor.RandN([6, 5], g, DType.Float64);
        var y = Tensor.FromArray(new long[] { 4, 0, 1, 1, 3, 2 }, 6);
        var w = Tensor.FromArray(new double[] { 1, 2, 0.5, 1.5, 3 });
        var fused = F.CrossEntropy(x, y, w).Item();
        var composed = F.NllLoss(F.LogSoftmax(x, 1), y, w).Item();
        Assert.Equal(composed, fused, 12);
        // Weighted mean: Σ w_y·(−log p_y) / Σ w_y.
        var lp = F.LogSoftmax(x, 1).ToArray<double>();
        long[] labels = [4, 0, 1, 1, 3, 2];
        double[] wv = [1, 2, 0.5, 1.5, 3];
        double num = 0, den = 0;
        for (int i = 0; i < 6; i++)
        {
            num -= wv[labels[i]] * lp[i * 5 + labels[i]];
            den += wv[labels[i]];
        }
        Assert.Equal(num / den, fused, 12);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(1100)] // more rows than the float32 path keeps on the stack
    public void CrossEntropyFloat32RowsMatchFloat64(int rows)
    {
        var g = new Generator(36);
        var x = Tensor.RandN([rows, 10], g, DType.Float64).Mul(3);
        var labels = new long[rows];
        for (int i = 0; i < rows; i++)
            labels[i] = (i * 7 + 3) % 10;
        var y = Tensor.FromArray(labels, rows);
        var expected = F.CrossEntropy(x, y, reduction: Reduction.None).ToArray<double>();
        var actual = F.CrossEntropy(x.To(DType.Float32), y, reduction: Reduction.None).ToArray<float>();
        for (int i = 0; i < rows; i++)
            Assert.Equal(expected[i], actual[i], 1e-4);
        Assert.Equal(expected.Average(), F.CrossEntropy(x.To(DType.Float32), y).Item(), 1e-5);
    }

    [Fact]
    public void CrossEntropyHandlesSpatialTargets()
    {
        var g = new Generator(36);
        var x = Leaf(g, 2, 3, 2, 2);
        var y = Tensor.FromArray(new long[] { 0, 1, 2, 1, 2, 2, 0, 1 }, 2, 2, 2);
        Assert.True(GradCheck.Check(a => F.CrossEntropy(a[0], y, labelSmoothing: 0.1), [x]));
        var none = F.CrossEntropy(x, y, reduction: Reduction.None);
        Assert.Equal(new[] { 2, 2, 2 }, none.Shape);
        // Sample (n=1, h=0, w=1) has logits x[1, :, 0, 1] and label 2.
        var xs = x.ToArray<double>();
        double[] z = [xs[12 + 1], xs[16 + 1], xs[20 + 1]];
        double lse = Math.Log(z.Sum(Math.Exp));
        Assert.Equal(lse - z[2], none.ToArray<double>()[5], 12);
    }

    [Fact]
    public void NllLossGradCheck()
    {
        var g = new Generator(37);
        var x = Leaf(g, 4, 3);
        var y = Tensor.FromArray(new long[] { 2, 0, 1, 2 }, 4);
        var w = Tensor.FromArray(new double[] { 0.5, 1, 2 });
        Assert.True(GradCheck.Check(a => F.NllLoss(a[0], y, w), [x]));
        Assert.True(GradCheck.Check(a => F.NllLoss(a[0], y, reduction: Reduction.None), [x]));
    }

    [Fact]
    public void ClassLossesRejectLabelsOutOfRange()
    {
        var x = Tensor.Zeros(3, 4);
        var e = Assert.Throws<ArgumentException>(() => F.CrossEntropy(x, Tensor.FromArray(new long[] { 0, 4, 1 }, 3)));
        Assert.Contains("label 4", e.Message);
        Assert.Contains("4 classes", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.NllLoss(x, Tensor.FromArray(new long[] { -1, 0, 1 }, 3)));
        Assert.Contains("label -1", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.CrossEntropy(x, Tensor.FromArray(new long[] { 0, 1 }, 2)));
        Assert.Contains("[2]", e.Message);
        Assert.Throws<ArgumentException>(() => F.CrossEntropy(x, Tensor.Zeros(3)));
    }

    [Fact]
    public void LossesRejectMismatchedShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => F.MseLoss(Tensor.Zeros(3, 2), Tensor.Zeros(2, 3)));
        Assert.Contains("MseLoss", e.Message);
        Assert.Contains("[2, 3]", e.Message);
    }
}

using Dendrite.Autograd;
using Dendrite.Backends.Cpu;
using Dendrite.NN;
using static Dendrite.Tests.NN.FunctionalTestUtil;

namespace Dendrite.Tests.NN;

public sealed class FunctionalConvTests
{
    [Theory]
    [InlineData(1, 0, 1, 1, true)]   // plain 3x3
    [InlineData(2, 1, 1, 1, true)]   // stride 2, padding 1
    [InlineData(1, 2, 2, 1, false)]  // dilation 2, no bias
    [InlineData(1, 1, 1, 2, true)]   // two groups
    public void Conv2dGradCheck(int stride, int padding, int dilation, int groups, bool withBias)
    {
        var g = new Generator(11);
        var x = Leaf(g, 2, 4, 6, 5);
        var w = Leaf(g, 4, 4 / groups, 3, 3);
        var b = Leaf(g, 4);
        Tensor[] inputs = withBias ? [x, w, b] : [x, w];
        Assert.True(GradCheck.Check(t => F.Conv2d(t[0], t[1], withBias ? t[2] : null, stride, padding, dilation, groups), inputs));
    }

    [Fact]
    public void Conv2dAsymmetricGeometryGradCheck()
    {
        var g = new Generator(12);
        var x = Leaf(g, 1, 2, 5, 7);
        var w = Leaf(g, 2, 1, 2, 3);
        var b = Leaf(g, 2);
        Assert.True(GradCheck.Check(t => F.Conv2d(t[0], t[1], t[2], stride: (2, 1), padding: (1, 0), dilation: (1, 2), groups: 2), [x, w, b]));
    }

    [Fact]
    public void Conv2dPointwiseGradCheck()
    {
        var g = new Generator(13);
        var x = Leaf(g, 2, 3, 3, 4);
        var w = Leaf(g, 2, 3, 1, 1);
        Assert.True(GradCheck.Check(t => F.Conv2d(t[0], t[1]), [x, w]));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    public void Conv2dMatchesDirectReference(int groups, int stride)
    {
        // Big enough to take the batch-parallel path (several chunks) in float32.
        var g = new Generator(14);
        var x = Tensor.RandN([8, 4, 17, 15], g);
        var w = Tensor.RandN([6, 4 / groups, 3, 3], g);
        var b = Tensor.RandN([6], g);
        var y = F.Conv2d(x, w, b, stride, 1, 1, groups);
        var geo = new Conv2dGeometry(4, 17, 15, 3, 3, stride, stride, 1, 1);
        var expected = new float[y.Numel];
        ConvReference.Forward<float>(x.ToArray<float>(), w.ToArray<float>(), b.ToArray<float>(), expected, 8, geo, 6, groups);
        AssertClose(Array.ConvertAll(expected, v => (double)v), y.ToArray<double>(), 1e-4);
    }

    [Fact]
    public void Conv2dBatchParallelGradientsMatchPerImageSums()
    {
        // dW over a batch equals the sum of per-image dW; dx per image is independent of the rest of the batch.
        var g = new Generator(15);
        var x = Tensor.RandN([6, 3, 16, 16], g, DType.Float64);
        var w = Tensor.RandN([8, 3, 3, 3], g, DType.Float64);
        w.RequiresGrad = true;
        x.RequiresGrad = true;
        F.Conv2d(x, w, null, 1, 1).Square().Sum().Backward();
        var dwBatch = w.Grad!.ToArray<double>();
        var dxBatch = x.Grad!.ToArray<double>();
        var dwSum = new double[dwBatch.Length];
        var dxParts = new List<double>();
        for (int n = 0; n < 6; n++)
        {
            w.Grad = null;
            var xi = x.Detach().Narrow(0, n, 1).Contiguous();
            xi.RequiresGrad = true;
            F.Conv2d(xi, w, null, 1, 1).Square().Sum().Backward();
            var dw = w.Grad!.ToArray<double>();
            for (int i = 0; i < dw.Length; i++)
                dwSum[i] += dw[i];
            dxParts.AddRange(xi.Grad!.ToArray<double>());
        }
        AssertClose(dwSum, dwBatch, 1e-10);
        AssertClose(dxParts.ToArray(), dxBatch, 1e-10);
    }

    [Fact]
    public void Conv2dRejectsWrongChannelCount()
    {
        var x = Tensor.Zeros(1, 3, 8, 8);
        var w = Tensor.Zeros(4, 2, 3, 3);
        var e = Assert.Throws<ArgumentException>(() => F.Conv2d(x, w));
        Assert.Contains("Conv2d", e.Message);
        Assert.Contains("[4, 2, 3, 3]", e.Message);
        Assert.Contains("3 channels", e.Message);
    }

    [Fact]
    public void Conv2dRejectsKernelBiggerThanInput()
    {
        var x = Tensor.Zeros(1, 1, 3, 3);
        var w = Tensor.Zeros(1, 1, 5, 5);
        var e = Assert.Throws<ArgumentException>(() => F.Conv2d(x, w));
        Assert.Contains("kernel 5x5", e.Message);
        Assert.Contains("input 3x3", e.Message);
    }

    [Fact]
    public void Conv2dRejectsIndivisibleGroupsAndBadBias()
    {
        Assert.Throws<ArgumentException>(() => F.Conv2d(Tensor.Zeros(1, 3, 4, 4), Tensor.Zeros(4, 1, 3, 3), null, 1, 0, 1, 2));
        var e = Assert.Throws<ArgumentException>(() => F.Conv2d(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(4, 2, 3, 3), Tensor.Zeros(3)));
        Assert.Contains("bias must have shape [4]", e.Message);
    }

    [Fact]
    public void MaxPool2dForwardAndGradCheck()
    {
        var x = Tensor.FromArray(new double[] { 1, 5, 2, 0, 3, 4, 9, 8, 7, 6, -1, -2, 0.5, 0.25, 11, 10 }, 1, 1, 4, 4);
        Assert.Equal(new[] { 5.0, 9, 7, 11 }, F.MaxPool2d(x, 2).ToArray<double>());
        var g = new Generator(16);
        var a = Leaf(g, 2, 2, 7, 7);
        Assert.True(GradCheck.Check(t => F.MaxPool2d(t[0], 3, 2, 1), [a]));
        var b = Leaf(g, 1, 2, 5, 6);
        Assert.True(GradCheck.Check(t => F.MaxPool2d(t[0], (2, 3), (1, 2)), [b]));
    }

    [Fact]
    public void MaxPool2dPadsWithNegativeInfinity()
    {
        // All-negative input: a zero pad would win the window; −∞ padding must not.
        var x = Tensor.Full([1, 1, 2, 2], -3.0, DType.Float64);
        var y = F.MaxPool2d(x, 2, 1, 1);
        Assert.Equal(new[] { 1, 1, 3, 3 }, y.Shape);
        Assert.All(y.ToArray<double>(), v => Assert.Equal(-3.0, v));
    }

    [Fact]
    public void AvgPool2dCountsPaddingAndGradCheck()
    {
        var x = Tensor.Ones([1, 1, 2, 2], DType.Float64);
        // 3x3 window, padding 1, stride 1 over a 2x2 of ones: every window holds 4 ones of 9 taps.
        Assert.All(F.AvgPool2d(x, 3, 1, 1).ToArray<double>(), v => Assert.Equal(4.0 / 9, v, 12));
        var g = new Generator(17);
        var a = Leaf(g, 2, 2, 5, 5);
        Assert.True(GradCheck.Check(t => F.AvgPool2d(t[0], 3, 2, 1), [a]));
    }

    [Fact]
    public void AdaptiveAvgPool2dMatchesPyTorchWindows()
    {
        var x = Tensor.Arange(1, 36, 1, DType.Float64).Reshape(1, 1, 5, 7);
        // torch.nn.functional.adaptive_avg_pool2d(arange(1, 36).reshape(1, 1, 5, 7), (3, 4))
        double[] expected = [5.0, 6.5, 8.5, 10.0, 15.5, 17.0, 19.0, 20.5, 26.0, 27.5, 29.5, 31.0];
        AssertClose(expected, F.AdaptiveAvgPool2d(x, (3, 4)).ToArray<double>(), 1e-12);
        var g = new Generator(18);
        var a = Leaf(g, 1, 2, 5, 7);
        Assert.True(GradCheck.Check(t => F.AdaptiveAvgPool2d(t[0], (3, 4)), [a]));
        Assert.Equal(new[] { 1, 2, 1, 1 }, F.AdaptiveAvgPool2d(a, 1).Shape);
    }

    [Fact]
    public void PoolingRejectsWindowBiggerThanInput()
    {
        var e = Assert.Throws<ArgumentException>(() => F.MaxPool2d(Tensor.Zeros(1, 1, 2, 2), 3));
        Assert.Contains("MaxPool2d", e.Message);
        Assert.Contains("[1, 1, 2, 2]", e.Message);
        Assert.Throws<ArgumentException>(() => F.AvgPool2d(Tensor.Zeros(1, 1, 4, 4), 2, 2, 2));
    }
}

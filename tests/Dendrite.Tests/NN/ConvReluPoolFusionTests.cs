using Dendrite.Autograd;
using Dendrite.NN;

namespace Dendrite.Tests.NN;

/// <summary>
/// Sequential runs Conv2d → ReLU → MaxPool2d(2) as one fused op where it can: its output and every gradient must be
/// bit for bit those of the three layers called one after another.
/// </summary>
public sealed class ConvReluPoolFusionTests
{
    [Theory]
    [InlineData(5, 1, 28, 28, 6, 5, 2, true, false)]    // LeNet block 1: input needs no gradient
    [InlineData(5, 6, 14, 14, 16, 5, 0, true, true)]    // LeNet block 2
    [InlineData(3, 3, 9, 11, 5, 3, 1, false, true)]     // odd output height and width, odd channel count, no bias
    [InlineData(2, 2, 32, 30, 3, 3, 2, true, true)]     // output 32 wide: a full 16-window row
    [InlineData(19, 2, 8, 8, 4, 3, 1, true, true)]      // several images per chunk and weight-gradient group
    [InlineData(3, 3, 13, 15, 11, 5, 1, true, true)]    // channel-vector layout: odd output 11x13, 11 channels
    [InlineData(4, 2, 12, 14, 16, 5, 0, false, true)]   // channel-vector layout without padding (read in place), no bias
    [InlineData(2, 1, 14, 18, 9, 5, 2, true, false)]    // channel-vector layout, 9 channels, padded
    [InlineData(3, 2, 11, 13, 5, 3, 1, true, false)]    // no input gradient: pooled gradient expanded into wide rows, odd output
    [InlineData(19, 1, 12, 12, 4, 3, 0, false, false)]  // the same over several weight-gradient groups, no bias
    public void MatchesUnfusedLayers(int n, int c, int h, int w, int o, int k, int pad, bool bias, bool xGrad)
    {
        var (fusedY, fusedGrads) = Run(n, c, h, w, o, k, pad, bias, xGrad, fused: true);
        var (plainY, plainGrads) = Run(n, c, h, w, o, k, pad, bias, xGrad, fused: false);
        Assert.Equal(plainY, fusedY);
        Assert.Equal(plainGrads.Length, fusedGrads.Length);
        for (int i = 0; i < plainGrads.Length; i++)
            Assert.Equal(plainGrads[i], fusedGrads[i]);
    }

    [Fact]
    public void TiesZerosAndNaNRouteGradientsAsTheUnfusedLayers()
    {
        // A 1×1 convolution with weight 1 and bias 0 passes the input through, so the windows see hand-picked values:
        // ties between positive maxima, all-negative and all-zero windows, −0, and NaN.
        float nan = float.NaN;
        float[] plane =
        [
            1, 1, -1, -2, 0, 0, 3, nan,
            1, 0, -3, -4, 0, -0f, 2, 3,
            -1, 2, 5, 5, nan, 1, 0.5f, 0.25f,
            2, 1, 5, 1, 2, 2, 0.5f, 0.5f,
            -0f, 0, 7, 6, 1, 1, 1, 1,
            -1, -1, 6, 7, 1, 1, 1, 1,
            4, 3, 2, 1, -5, 9, 9, -5,
            1, 2, 3, 4, 9, -5, -5, 9,
        ];
        Tensor MakeInput()
        {
            var x = Tensor.FromArray((float[])plane.Clone(), 1, 1, 8, 8);
            x.RequiresGrad = true;
            return x;
        }

        float[] Grad(bool fused, out float[] y)
        {
            var conv = new Conv2d(1, 1, 1);
            using (Autograd.Autograd.NoGrad())
            {
                conv.Weight.Fill(1);
                conv.Bias!.Fill(0);
            }
            var x = MakeInput();
            var layers = new Module[] { conv, new ReLU(), new MaxPool2d(2) };
            var outT = fused ? new Sequential(layers).Call(x) : layers.Aggregate(x, (t, m) => m.Call(t));
            if (fused && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
                Assert.Equal("ConvolutionReluMaxPoolBackward", outT.GradFn!.Name);
            y = outT.ToArray<float>();
            var probe = Tensor.Arange(1, 17, 1, DType.Float32).Reshape(1, 1, 4, 4);
            (outT * probe).Sum().Backward();
            return x.Grad!.ToArray<float>();
        }

        var gPlain = Grad(false, out var yPlain);
        var gFused = Grad(true, out var yFused);
        Assert.Equal(yPlain.Select(BitConverter.SingleToInt32Bits), yFused.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(gPlain.Select(BitConverter.SingleToInt32Bits), gFused.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void NoGradForwardMatches()
    {
        var (y, _) = Run(3, 2, 12, 12, 6, 3, 1, true, false, fused: true, noGrad: true);
        var (yPlain, _) = Run(3, 2, 12, 12, 6, 3, 1, true, false, fused: false, noGrad: true);
        Assert.Equal(yPlain, y);
    }

    [Fact]
    public void RetainedGraphBackwardsTwiceWithTheSameGradients()
    {
        var g = new Generator(5);
        var model = new Sequential(new Conv2d(2, 4, 3, padding: 1, generator: g), new ReLU(), new MaxPool2d(2));
        var x = Tensor.RandN([2, 2, 10, 10], g);
        var loss = model.Call(x).Square().Sum();
        loss.Backward(retainGraph: true);
        var first = ((Conv2d)model[0]).Weight.Grad!.ToArray<float>();
        model.ZeroGrad();
        loss.Backward();
        Assert.Equal(first, ((Conv2d)model[0]).Weight.Grad!.ToArray<float>());
    }

    private static (float[] Y, float[][] Grads) Run(int n, int c, int h, int w, int o, int k, int pad, bool bias, bool xGrad,
        bool fused, bool noGrad = false)
    {
        var g = new Generator((ulong)(70 + c + o));
        var conv = new Conv2d(c, o, k, padding: pad, bias: bias, generator: g);
        var x = Tensor.RandN([n, c, h, w], g);
        x.RequiresGrad = xGrad && !noGrad;
        var layers = new Module[] { conv, new ReLU(), new MaxPool2d(2) };
        Tensor y;
        if (noGrad)
        {
            using (Autograd.Autograd.NoGrad())
                y = fused ? new Sequential(layers).Call(x) : layers.Aggregate(x, (t, m) => m.Call(t));
            return (y.ToArray<float>(), []);
        }
        y = fused ? new Sequential(layers).Call(x) : layers.Aggregate(x, (t, m) => m.Call(t));
        if (fused && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
            Assert.Equal("ConvolutionReluMaxPoolBackward", y.GradFn!.Name);   // the fused op did run
        var probe = Tensor.RandN(y.Shape.ToArray(), new Generator(99));
        (y * probe).Sum().Backward();
        var grads = new List<float[]> { conv.Weight.Grad!.ToArray<float>() };
        if (bias)
            grads.Add(conv.Bias!.Grad!.ToArray<float>());
        if (xGrad)
            grads.Add(x.Grad!.ToArray<float>());
        return (y.ToArray<float>(), grads.ToArray());
    }
}

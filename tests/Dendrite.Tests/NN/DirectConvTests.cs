using Dendrite.Backends.Cpu;
using Dendrite.NN;
using static Dendrite.Tests.NN.FunctionalTestUtil;

namespace Dendrite.Tests.NN;

/// <summary>
/// The float32 direct-convolution path (small images, stride 1) against the float64 im2col + GEMM path: forward
/// output and the gradients of x, weight and bias.
/// </summary>
public sealed class DirectConvTests
{
    [Theory]
    [InlineData(5, 1, 28, 28, 6, 5, 5, 2, 2, true, false)]    // LeNet conv1: input needs no gradient
    [InlineData(5, 6, 14, 14, 16, 5, 5, 0, 0, true, true)]    // LeNet conv2
    [InlineData(3, 3, 9, 11, 3, 3, 3, 1, 1, false, true)]     // odd channel counts, no bias
    [InlineData(4, 2, 12, 10, 5, 3, 5, 0, 2, true, true)]     // rectangular kernel, padding only in width
    [InlineData(2, 4, 8, 8, 7, 3, 3, 2, 1, true, true)]       // padding K − 1 in height
    [InlineData(19, 2, 8, 8, 4, 3, 3, 1, 1, true, true)]      // several weight-gradient image groups per chunk
    public void MatchesFloat64Path(int n, int c, int h, int w, int o, int kh, int kw, int ph, int pw, bool bias, bool xGrad)
    {
        var g = new Generator((ulong)(40 + c + o));
        var x64 = Tensor.RandN([n, c, h, w], g, DType.Float64);
        var w64 = Tensor.RandN([o, c, kh, kw], g, DType.Float64);
        var b64 = Tensor.RandN([o], g, DType.Float64);
        var geo = new Conv2dGeometry(c, h, w, kh, kw, 1, 1, ph, pw);
        Assert.Equal(Vector512Supported(), DirectConv2d.Supports(geo, 1, o));
        var (y32, grads32) = Run(x64.To(DType.Float32), w64.To(DType.Float32), bias ? b64.To(DType.Float32) : null, (ph, pw), xGrad);
        var (y64, grads64) = Run(x64, w64, bias ? b64 : null, (ph, pw), xGrad);
        AssertClose(y64, y32, 1e-4);
        Assert.Equal(grads64.Length, grads32.Length);
        for (int i = 0; i < grads64.Length; i++)
            AssertClose(grads64[i], grads32[i], 1e-4);
    }

    /// <summary>Shapes drawn at random (seeded): channel counts that fill no vector, kernels 1-5, any padding below the
    /// kernel, batches that split unevenly over the weight-gradient chunks; every value finite and close.</summary>
    [Fact]
    public void MatchesFloat64PathOnRandomShapes()
    {
        var r = new Random(20261206);
        int tested = 0;
        for (int trial = 0; trial < 200 && tested < 24; trial++)
        {
            int n = r.Next(1, 21), c = r.Next(1, 6), o = r.Next(1, 21), kh = r.Next(1, 6), kw = r.Next(1, 6);
            int h = r.Next(kh, 17), w = r.Next(kw, 17), ph = r.Next(0, kh), pw = r.Next(0, kw);
            if (!DirectConv2d.Supports(new Conv2dGeometry(c, h, w, kh, kw, 1, 1, ph, pw), 1, o))
                continue;
            tested++;
            var g = new Generator((ulong)trial);
            var x64 = Tensor.RandN([n, c, h, w], g, DType.Float64);
            var w64 = Tensor.RandN([o, c, kh, kw], g, DType.Float64);
            var b64 = Tensor.RandN([o], g, DType.Float64);
            var (y32, grads32) = Run(x64.To(DType.Float32), w64.To(DType.Float32), b64.To(DType.Float32), (ph, pw), true);
            var (y64, grads64) = Run(x64, w64, b64, (ph, pw), true);
            string shape = $"x [{n}, {c}, {h}, {w}], weight [{o}, {c}, {kh}, {kw}], padding ({ph}, {pw})";
            Assert.True(y32.All(double.IsFinite) && grads32.All(gr => gr.All(double.IsFinite)), $"non-finite values for {shape}");
            AssertClose(y64, y32, 1e-4);
            for (int i = 0; i < grads64.Length; i++)
                AssertClose(grads64[i], grads32[i], 1e-4);
        }
        Assert.True(!Vector512Supported() || tested == 24, $"only {tested} shapes took the direct path");
    }

    /// <summary>Shapes drawn at random (seeded) for the channel-vector layout (<see cref="ChannelConv2d"/>): 9 to 16
    /// output channels, 5×5 kernels, outputs with odd heights and widths that the 2 × 10 blocks do not tile, any padding
    /// below the kernel; forward and all gradients against float64.</summary>
    [Fact]
    public void MatchesFloat64PathOnChannelLayoutShapes()
    {
        var r = new Random(20261207);
        int tested = 0;
        for (int trial = 0; trial < 200 && tested < 16; trial++)
        {
            int n = r.Next(1, 13), c = r.Next(1, 8), o = r.Next(9, 17);
            int h = r.Next(5, 19), w = r.Next(5, 24), ph = r.Next(0, 5), pw = r.Next(0, 5);
            var geo = new Conv2dGeometry(c, h, w, 5, 5, 1, 1, ph, pw);
            if (!DirectConv2d.Supports(geo, 1, o) || !ChannelConv2d.Applies(geo, o))
                continue;
            tested++;
            var g = new Generator((ulong)(1000 + trial));
            var x64 = Tensor.RandN([n, c, h, w], g, DType.Float64);
            var w64 = Tensor.RandN([o, c, 5, 5], g, DType.Float64);
            var b64 = Tensor.RandN([o], g, DType.Float64);
            bool bias = (trial & 1) == 0;
            var (y32, grads32) = Run(x64.To(DType.Float32), w64.To(DType.Float32), bias ? b64.To(DType.Float32) : null, (ph, pw), true);
            var (y64, grads64) = Run(x64, w64, bias ? b64 : null, (ph, pw), true);
            string shape = $"x [{n}, {c}, {h}, {w}], weight [{o}, {c}, 5, 5], padding ({ph}, {pw})";
            Assert.True(y32.All(double.IsFinite) && grads32.All(gr => gr.All(double.IsFinite)), $"non-finite values for {shape}");
            AssertClose(y64, y32, 1e-4);
            for (int i = 0; i < grads64.Length; i++)
                AssertClose(grads64[i], grads32[i], 1e-4);
        }
        Assert.True(!System.Runtime.Intrinsics.X86.Avx512F.IsSupported || tested == 16, $"only {tested} shapes took the channel layout");
    }

    [Theory]
    [InlineData(16, 100)]   // LeNet conv2: six whole 16-pixel blocks and a shifted last one
    [InlineData(11, 17)]
    [InlineData(9, 16)]
    [InlineData(16, 5)]     // fewer pixels than a block
    public void ToPixelMajorTransposesAndZeroesThePaddedLanes(int o, int l)
    {
        var src = Enumerable.Range(0, o * l).Select(i => (float)(i + 1)).ToArray();
        var dst = Enumerable.Repeat(float.NaN, l * ChannelConv2d.Lanes).ToArray();
        ChannelConv2d.ToPixelMajor(src, o, l, dst);
        for (int p = 0; p < l; p++)
            for (int oc = 0; oc < ChannelConv2d.Lanes; oc++)
                Assert.Equal(oc < o ? src[oc * l + p] : 0f, dst[p * ChannelConv2d.Lanes + oc]);
    }

    [Fact]
    public void InputGradientIsSkippedWhenNotNeeded()
    {
        var g = new Generator(47);
        var x = Tensor.RandN([2, 1, 28, 28], g);
        var w = Tensor.RandN([6, 1, 5, 5], g);
        w.RequiresGrad = true;
        F.Conv2d(x, w, null, 1, 2).Sum().Backward();
        Assert.Null(x.Grad);
        Assert.NotNull(w.Grad);
    }

    private static bool Vector512Supported() => System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;

    private static (double[] Y, double[][] Grads) Run(Tensor x, Tensor w, Tensor? b, (int, int) padding, bool xGrad)
    {
        x.RequiresGrad = xGrad;
        w.RequiresGrad = true;
        if (b is not null)
            b.RequiresGrad = true;
        var y = F.Conv2d(x, w, b, (1, 1), padding);
        // A non-uniform output gradient: weights each output element differently.
        var probe = Tensor.RandN(y.Shape.ToArray(), new Generator(99), DType.Float64).To(y.DType);
        (y * probe).Sum().Backward();
        var grads = new List<double[]>();
        if (xGrad)
            grads.Add(x.Grad!.ToArray<double>());
        grads.Add(w.Grad!.ToArray<double>());
        if (b is not null)
            grads.Add(b.Grad!.ToArray<double>());
        return (y.ToArray<double>(), grads.ToArray());
    }
}

using Dendrite.Backends.Cpu;

namespace Dendrite.Tests.Backends;

public sealed class Im2ColTests
{
    // (C, H, W, KH, KW, sH, sW, pH, pW, dH, dW)
    public static TheoryData<int[]> Geometries => new()
    {
        new[] { 1, 5, 5, 3, 3, 1, 1, 0, 0, 1, 1 },
        new[] { 3, 7, 6, 3, 3, 1, 1, 1, 1, 1, 1 },
        new[] { 1, 28, 28, 5, 5, 1, 1, 2, 2, 1, 1 },   // LeNet conv1 with "same" padding
        new[] { 3, 8, 8, 3, 3, 2, 2, 1, 1, 1, 1 },
        new[] { 3, 9, 7, 3, 2, 3, 2, 2, 1, 1, 1 },     // non-square everything
        new[] { 1, 9, 9, 3, 3, 1, 1, 0, 0, 2, 2 },     // dilation
        new[] { 3, 10, 8, 3, 3, 2, 1, 2, 2, 2, 3 },    // dilation + padding + stride
        new[] { 3, 6, 5, 1, 1, 1, 1, 0, 0, 1, 1 },     // pointwise fast path
        new[] { 3, 6, 5, 1, 1, 2, 2, 0, 0, 1, 1 },     // 1x1 strided
        new[] { 1, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1 },     // 1x1 padded: border columns are all zero
        new[] { 1, 3, 3, 3, 3, 1, 1, 2, 2, 1, 1 },     // padding wider than reach: whole rows of padding
        new[] { 3, 2, 11, 2, 4, 1, 3, 0, 2, 1, 2 },
        new[] { 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1 },
        new[] { 3, 5, 5, 5, 5, 1, 1, 0, 0, 1, 1 },     // kernel covers the input exactly
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Im2ColMatmulEqualsDirectConvolution(int[] a)
    {
        var g = Geometry(a);
        int c = g.C, h = g.H, w = g.W, kh = g.KH, kw = g.KW;
        const int n = 2, o = 4;
        var rng = new Random(1234 + c * 31 + h * 7 + kh);
        double[] x = Random(rng, n * c * h * w), wt = Random(rng, o * c * kh * kw), bias = Random(rng, o);
        double[] expected = new double[n * o * g.OutH * g.OutW];
        ConvReference.Forward<double>(x, wt, bias, expected, n, g, o);

        double[] actual = ConvViaIm2Col(x, wt, bias, n, g, o, groups: 1);
        AssertClose(expected, actual, 1e-12);
    }

    [Theory]
    [InlineData(4, 6, 2)]
    [InlineData(6, 3, 3)]
    [InlineData(2, 2, 2)]   // depthwise
    public void GroupedConvolutionViaPerGroupIm2Col(int c, int o, int groups)
    {
        // Groups are run as `groups` independent convolutions over channel slices, which is how the
        // autograd op is expected to use Im2Col.
        var full = new Conv2dGeometry(c, 7, 6, 3, 3, 2, 1, 1, 1);
        var rng = new Random(77);
        const int n = 2;
        double[] x = Random(rng, n * c * 7 * 6), wt = Random(rng, o * (c / groups) * 9), bias = Random(rng, o);
        double[] expected = new double[n * o * full.OutH * full.OutW];
        ConvReference.Forward<double>(x, wt, bias, expected, n, full, o, groups);
        AssertClose(expected, ConvViaIm2Col(x, wt, bias, n, full, o, groups), 1e-12);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Col2ImIsTheAdjointOfIm2Col(int[] a)
    {
        // <im2col(x), y> == <x, col2im(y)> for random x, y: col2im is exactly the transpose of the linear map.
        var g = Geometry(a);
        int h = g.H, kw = g.KW;
        var rng = new Random(99 + h * 13 + kw);
        double[] x = Random(rng, g.ImageSize), y = Random(rng, g.ColumnRows * g.ColumnCols);
        double[] cols = new double[y.Length];
        Im2Col.Forward<double>(x, g, cols);
        double[] back = new double[x.Length];
        Im2Col.Backward<double>(y, g, back);
        double lhs = Dot(cols, y), rhs = Dot(x, back);
        Assert.True(Math.Abs(lhs - rhs) <= 1e-12 * Math.Max(1, Math.Abs(lhs)), $"{lhs} vs {rhs}");
    }

    [Fact]
    public void Col2ImAddsIntoExistingGradient()
    {
        var g = new Conv2dGeometry(2, 5, 5, 3, 3, 1, 1, 1, 1);
        var rng = new Random(5);
        double[] y = Random(rng, g.ColumnRows * g.ColumnCols);
        double[] fresh = new double[g.ImageSize];
        Im2Col.Backward<double>(y, g, fresh);
        double[] acc = Enumerable.Repeat(1.5, g.ImageSize).ToArray();
        Im2Col.Backward<double>(y, g, acc);
        for (int i = 0; i < acc.Length; i++)
            Assert.Equal(fresh[i] + 1.5, acc[i], 12);
    }

    [Theory]
    [InlineData(3, 6, 5, 1, 1, 1, 0)]   // pointwise
    [InlineData(3, 8, 7, 3, 2, 2, 1)]
    public void LeadingDimensionPlacesImagesSideBySide(int c, int h, int w, int kh, int kw, int s, int p)
    {
        var g = new Conv2dGeometry(c, h, w, kh, kw, s, s, p, p);
        const int n = 3;
        int len = g.ColumnCols, ld = n * len + 5; // padded rows, to check nothing spills past the image's block
        var rng = new Random(3);
        float[] x = RandomF(rng, n * g.ImageSize);
        float[] wide = Enumerable.Repeat(float.NaN, g.ColumnRows * ld).ToArray();
        for (int b = 0; b < n; b++)
            Im2Col.Forward<float>(x.AsSpan(b * g.ImageSize, g.ImageSize), g, wide.AsSpan(b * len), ld);
        for (int b = 0; b < n; b++)
        {
            float[] dense = new float[g.ColumnRows * len];
            Im2Col.Forward<float>(x.AsSpan(b * g.ImageSize, g.ImageSize), g, dense);
            for (int r = 0; r < g.ColumnRows; r++)
                Assert.Equal(dense.AsSpan(r * len, len).ToArray(), wide.AsSpan(r * ld + b * len, len).ToArray());
        }
        for (int r = 0; r < g.ColumnRows; r++)
            Assert.All(wide.AsSpan(r * ld + n * len, 5).ToArray(), v => Assert.True(float.IsNaN(v)));

        // col2im from the wide matrix equals col2im from each dense block.
        for (int b = 0; b < n; b++)
        {
            float[] viaWide = new float[g.ImageSize], viaDense = new float[g.ImageSize];
            Im2Col.Backward<float>(wide.AsSpan(b * len), g, viaWide, ld);
            float[] dense = new float[g.ColumnRows * len];
            for (int r = 0; r < g.ColumnRows; r++)
                wide.AsSpan(r * ld + b * len, len).CopyTo(dense.AsSpan(r * len));
            Im2Col.Backward<float>(dense, g, viaDense);
            Assert.Equal(viaDense, viaWide);
        }
    }

    [Fact]
    public void Float32MatchesFloat64()
    {
        var g = new Conv2dGeometry(3, 9, 8, 3, 3, 2, 1, 1, 2, 1, 2);
        var rng = new Random(8);
        float[] xf = RandomF(rng, g.ImageSize);
        float[] cf = new float[g.ColumnRows * g.ColumnCols];
        double[] cd = new double[cf.Length];
        Im2Col.Forward<float>(xf, g, cf);
        Im2Col.Forward<double>(xf.Select(v => (double)v).ToArray(), g, cd);
        Assert.Equal(cd, cf.Select(v => (double)v).ToArray());
    }

    [Fact]
    public void GeometryComputesOutputSize()
    {
        var g = new Conv2dGeometry(3, 28, 28, 5, 5, 1, 1, 2, 2);
        Assert.Equal((28, 28), (g.OutH, g.OutW));
        g = new Conv2dGeometry(1, 10, 7, 3, 2, 3, 2, 1, 0, 2, 1);
        Assert.Equal(((10 + 2 - 4 - 1) / 3 + 1, (7 - 1 - 1) / 2 + 1), (g.OutH, g.OutW));
        Assert.Equal(6, g.ColumnRows);
        Assert.Equal(4, ConvGeometry.OutputSize(8, 2, 2));
        Assert.Equal(4, ConvGeometry.PoolOutputSize(7, 3, 2, 1)); // (7 + 2 - 3) / 2 + 1
    }

    [Fact]
    public void ValidationMessagesNameTheOpAndValues()
    {
        var e = Assert.Throws<ArgumentException>(() => new Conv2dGeometry(1, 3, 3, 5, 5));
        Assert.Equal("Conv2d: kernel 5x5 (dilation 1) does not fit input 3x3 with padding 0.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Conv2dGeometry(1, 5, 5, 3, 3, dilationH: 3, dilationW: 1));
        Assert.Equal("Conv2d: kernel 3x3 (dilation 3x1) does not fit input 5x5 with padding 0.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Conv2dGeometry(1, 5, 5, 3, 3, strideH: 0));
        Assert.Equal("Conv2d: stride height must be at least 1, got 0.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Conv2dGeometry(1, 5, 5, 3, 3, padW: -1));
        Assert.Equal("Conv2d: padding width must be non-negative, got -1.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Conv2dGeometry(0, 5, 5, 3, 3));
        Assert.Contains("channel count", e.Message);
        e = Assert.Throws<ArgumentException>(() => ConvGeometry.OutputSize(3, 5, op: "Conv1d"));
        Assert.Equal("Conv1d: kernel 5 (dilation 1) does not fit input 3 with padding 0.", e.Message);

        var g = new Conv2dGeometry(2, 4, 4, 3, 3);
        e = Assert.Throws<ArgumentException>(() => Im2Col.Forward<float>(new float[31], g, new float[g.ColumnRows * g.ColumnCols]));
        Assert.Equal("Im2Col.Forward: image has 31 elements, expected 32.", e.Message);
        e = Assert.Throws<ArgumentException>(() => Im2Col.Forward<float>(new float[32], default, new float[8]));
        Assert.Contains("uninitialized", e.Message);
    }

    [Fact]
    public void BiasAddAndGradient()
    {
        const int n = 3, o = 4, l = 37;
        var rng = new Random(11);
        double[] y = Random(rng, n * o * l), bias = Random(rng, o);
        double[] expected = (double[])y.Clone();
        for (int i = 0; i < expected.Length; i++)
            expected[i] += bias[i / l % o];
        ConvBias.AddBias<double>(y, bias, n, o, l);
        AssertClose(expected, y, 1e-15);

        double[] gb = Enumerable.Repeat(99.0, o).ToArray();
        ConvBias.BiasGrad<double>(y, gb, n, o, l);
        for (int ch = 0; ch < o; ch++)
        {
            double s = 0;
            for (int b = 0; b < n; b++)
                for (int i = 0; i < l; i++)
                    s += y[(b * o + ch) * l + i];
            Assert.Equal(s, gb[ch], 12);
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    // (C, H, W, KH, KW, sH, sW, pH, pW, dH, dW)
    private static Conv2dGeometry Geometry(int[] a) => new(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]);

    // Convolution as the autograd op will do it: per image and group, im2col then out = W · columns.
    private static double[] ConvViaIm2Col(double[] x, double[] wt, double[] bias, int n, Conv2dGeometry full, int o, int groups)
    {
        int cg = full.C / groups, og = o / groups;
        var g = new Conv2dGeometry(cg, full.H, full.W, full.KH, full.KW, full.StrideH, full.StrideW,
            full.PadH, full.PadW, full.DilationH, full.DilationW);
        int k = g.ColumnRows, l = g.ColumnCols;
        double[] cols = new double[k * l], y = new double[n * o * l];
        for (int b = 0; b < n; b++)
            for (int gi = 0; gi < groups; gi++)
            {
                Im2Col.Forward<double>(x.AsSpan((b * full.C + gi * cg) * full.H * full.W, g.ImageSize), g, cols);
                Matmul(wt.AsSpan(gi * og * k, og * k), cols, y.AsSpan((b * o + gi * og) * l, og * l), og, k, l);
            }
        ConvBias.AddBias<double>(y, bias, n, o, l);
        return y;
    }

    // c[m, n] = a[m, k] · b[k, n]
    private static void Matmul(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += a[i * k + p] * b[p * n + j];
                c[i * n + j] = s;
            }
    }

    internal static double[] Random(Random rng, int count) =>
        Enumerable.Range(0, count).Select(_ => rng.NextDouble() * 2 - 1).ToArray();

    internal static float[] RandomF(Random rng, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    internal static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
            s += a[i] * b[i];
        return s;
    }

    internal static void AssertClose(double[] expected, double[] actual, double tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * Math.Max(1, Math.Abs(expected[i])),
                $"index {i}: expected {expected[i]}, got {actual[i]}");
    }
}

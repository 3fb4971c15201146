using Dendrite.Backends.Cpu;

namespace Dendrite.Tests.Backends;

public sealed class Pool2dTests
{
    // (H, W, KH, KW, sH, sW, pH, pW, dH, dW)
    public static TheoryData<int[]> MaxGeometries => new()
    {
        new[] { 28, 28, 2, 2, 2, 2, 0, 0, 1, 1 },   // 2x2 fast path, OutW 14 (vector + overlapping vector)
        new[] { 10, 10, 2, 2, 2, 2, 0, 0, 1, 1 },   // OutW 5: 128-bit path
        new[] { 7, 33, 2, 2, 2, 2, 0, 0, 1, 1 },    // odd sizes: trailing row/column dropped, OutW 16
        new[] { 5, 7, 2, 2, 2, 2, 0, 0, 1, 1 },     // OutW 3: scalar path
        new[] { 4, 19, 2, 2, 2, 2, 0, 0, 1, 1 },    // OutW 9
        new[] { 9, 8, 3, 3, 2, 2, 1, 1, 1, 1 },
        new[] { 7, 6, 3, 2, 1, 2, 1, 1, 1, 1 },
        new[] { 11, 9, 3, 3, 3, 2, 0, 1, 2, 2 },    // dilation
        new[] { 6, 6, 4, 4, 1, 1, 2, 2, 1, 1 },
        new[] { 5, 5, 2, 2, 1, 1, 1, 1, 1, 1 },     // overlapping windows
        new[] { 1, 1, 1, 1, 1, 1, 0, 0, 1, 1 },
    };

    public static TheoryData<int[]> AvgGeometries => new()
    {
        new[] { 28, 28, 2, 2, 2, 2, 0, 0, 1, 1 },
        new[] { 7, 33, 2, 2, 2, 2, 0, 0, 1, 1 },
        new[] { 5, 7, 2, 2, 2, 2, 0, 0, 1, 1 },
        new[] { 9, 8, 3, 3, 2, 2, 1, 1, 1, 1 },
        new[] { 7, 6, 3, 2, 1, 2, 1, 1, 1, 1 },
        new[] { 6, 6, 4, 4, 1, 1, 2, 2, 1, 1 },
        new[] { 8, 5, 3, 3, 3, 3, 0, 0, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(MaxGeometries))]
    public void MaxPoolForwardMatchesReference(int[] a)
    {
        var g = Geometry(a);
        const int planes = 3;
        var rng = new Random(a.Sum());
        double[] x = Im2ColTests.Random(rng, planes * g.InputPlaneSize);
        // Some exact ties, to pin "first maximum wins".
        for (int i = 0; i < x.Length; i += 5)
            x[i] = Math.Round(x[i]);
        CheckMax(x, planes, g);
        CheckMax(x.Select(v => (float)v).ToArray(), planes, g);
    }

    [Theory]
    [MemberData(nameof(MaxGeometries))]
    public void MaxPoolBackwardMatchesFiniteDifferences(int[] a)
    {
        // f(x) = <r, maxpool(x)>; with distinct values the argmax is locally constant, so central
        // differences are exact up to rounding and must equal the scattered gradient.
        var g = Geometry(a);
        const int planes = 2;
        var rng = new Random(a.Sum() + 1);
        double[] x = Im2ColTests.Random(rng, planes * g.InputPlaneSize);
        double[] r = Im2ColTests.Random(rng, planes * g.OutputPlaneSize);
        double[] y = new double[r.Length];
        int[] idx = new int[r.Length];
        MaxPool2d.Forward<double>(x, planes, g, y, idx);
        double[] grad = new double[x.Length];
        MaxPool2d.Backward<double>(r, idx, planes, g, grad);

        const double eps = 1e-7;
        for (int i = 0; i < x.Length; i++)
        {
            double keep = x[i];
            x[i] = keep + eps;
            MaxPool2d.Forward<double>(x, planes, g, y, idx);
            double up = Im2ColTests.Dot(r, y);
            x[i] = keep - eps;
            MaxPool2d.Forward<double>(x, planes, g, y, idx);
            double down = Im2ColTests.Dot(r, y);
            x[i] = keep;
            Assert.True(Math.Abs((up - down) / (2 * eps) - grad[i]) < 1e-6, $"element {i}: {(up - down) / (2 * eps)} vs {grad[i]}");
        }
    }

    [Fact]
    public void MaxPoolBackwardAddsIntoExistingGradient()
    {
        var g = new Pool2dGeometry(5, 5, 2, 2, 1, 1);
        double[] x = Im2ColTests.Random(new Random(4), 25), y = new double[16], gy = Enumerable.Repeat(1.0, 16).ToArray();
        int[] idx = new int[16];
        MaxPool2d.Forward<double>(x, 1, g, y, idx);
        double[] gx = Enumerable.Repeat(10.0, 25).ToArray();
        MaxPool2d.Backward<double>(gy, idx, 1, g, gx);
        Assert.Equal(25 * 10.0 + 16, gx.Sum(), 12);
    }

    [Theory]
    [InlineData(28, 28)]
    [InlineData(7, 33)]    // odd: trailing row and column must come out zero
    [InlineData(4, 19)]    // OutW 9: the last group of 8 overlaps the first
    public void MaxPool2x2DenseBackwardMatchesScatter(int h, int w)
    {
        if (!MaxPool2x2.DenseBackwardSupported(w))
            return;
        const int planes = 3;
        var g = new Pool2dGeometry(h, w, 2, 2, 2, 2);
        int outP = g.OutputPlaneSize, inP = h * w;
        var rng = new Random(h * 100 + w);
        // Small integers make ties common, so the argmax choice is exercised too.
        float[] x = Enumerable.Range(0, planes * inP).Select(_ => (float)rng.Next(0, 4)).ToArray();
        float[] y = new float[planes * outP], gy = Enumerable.Range(0, planes * outP).Select(_ => (float)rng.NextDouble() + 0.5f).ToArray();
        int[] idx = new int[planes * outP];
        MaxPool2d.Forward<float>(x, planes, g, y, idx);
        float[] expected = new float[planes * inP];
        MaxPool2d.Backward<float>(gy, idx, planes, g, expected);
        float[] dense = Enumerable.Repeat(float.NaN, planes * inP).ToArray();   // every element must be written
        MaxPool2x2.BackwardDense(gy, idx, planes, h, w, dense);
        Assert.Equal(expected, dense);
    }

    [Theory]
    [InlineData(28, 28)]
    [InlineData(10, 10)]
    [InlineData(6, 6)]
    [InlineData(9, 17)]
    public void MaxPoolPropagatesNaNAndInfinities(int h, int w)
    {
        var g = new Pool2dGeometry(h, w, 2, 2, 2, 2);
        var rng = new Random(h * w);
        float[] x = Im2ColTests.RandomF(rng, 2 * h * w);
        for (int i = 0; i < x.Length; i += 7)
            x[i] = float.NaN;
        for (int i = 3; i < x.Length; i += 11)
            x[i] = float.NegativeInfinity;
        for (int i = 5; i < x.Length; i += 13)
            x[i] = float.PositiveInfinity;
        x[0] = x[1] = x[w] = x[w + 1] = float.NegativeInfinity; // an all −∞ window reports its first tap
        CheckMax(x, 2, g);
        CheckMax(x.Select(v => (double)v).ToArray(), 2, g);

        var general = new Pool2dGeometry(h, w, 3, 3, 2, 2, 1, 1);
        CheckMax(x, 2, general);
    }

    [Fact]
    public void MaxPoolNaNWindowYieldsNaNAtItsLastNaN()
    {
        var g = new Pool2dGeometry(2, 2, 2, 2, 2, 2);
        float[] y = new float[1];
        int[] idx = new int[1];
        MaxPool2d.Forward<float>(new[] { 1f, float.NaN, 5f, float.NaN }, 1, g, y, idx);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(3, idx[0]);
    }

    [Theory]
    [MemberData(nameof(AvgGeometries))]
    public void AvgPoolForwardMatchesReference(int[] a)
    {
        var g = Geometry(a);
        const int planes = 3;
        var rng = new Random(a.Sum() + 2);
        double[] x = Im2ColTests.Random(rng, planes * g.InputPlaneSize);
        double[] y = new double[planes * g.OutputPlaneSize];
        AvgPool2d.Forward<double>(x, planes, g, y);
        Im2ColTests.AssertClose(ReferenceAvg(x, planes, g), y, 1e-14);

        float[] yf = new float[y.Length];
        AvgPool2d.Forward<float>(x.Select(v => (float)v).ToArray(), planes, g, yf);
        for (int i = 0; i < y.Length; i++)
            Assert.True(Math.Abs(yf[i] - y[i]) < 1e-6, $"{i}: {yf[i]} vs {y[i]}");
    }

    [Theory]
    [MemberData(nameof(AvgGeometries))]
    public void AvgPoolBackwardIsTheAdjoint(int[] a)
    {
        // Average pooling is linear, so its backward is exactly its transpose: <pool(x), r> == <x, pool^T(r)>.
        var g = Geometry(a);
        const int planes = 2;
        var rng = new Random(a.Sum() + 3);
        double[] x = Im2ColTests.Random(rng, planes * g.InputPlaneSize), r = Im2ColTests.Random(rng, planes * g.OutputPlaneSize);
        double[] y = new double[r.Length], gx = new double[x.Length];
        AvgPool2d.Forward<double>(x, planes, g, y);
        AvgPool2d.Backward<double>(r, planes, g, gx);
        double lhs = Im2ColTests.Dot(y, r), rhs = Im2ColTests.Dot(x, gx);
        Assert.True(Math.Abs(lhs - rhs) <= 1e-12 * Math.Max(1, Math.Abs(lhs)), $"{lhs} vs {rhs}");
    }

    [Fact]
    public void AvgPoolCountsPaddingInTheDivisor()
    {
        // 2x2 of ones, 3x3 window, padding 1, stride 1: the corner window sees 4 ones out of 9 taps.
        var g = new Pool2dGeometry(2, 2, 3, 3, 1, 1, 1, 1);
        double[] y = new double[4];
        AvgPool2d.Forward<double>(new[] { 1.0, 1, 1, 1 }, 1, g, y);
        Assert.All(y, v => Assert.Equal(4.0 / 9, v, 15));
    }

    [Fact]
    public void PoolValidationMessages()
    {
        var e = Assert.Throws<ArgumentException>(() => new Pool2dGeometry(8, 8, 3, 3, 1, 1, 2, 2, op: "MaxPool2d"));
        Assert.Equal("MaxPool2d: padding 2 must be at most half the kernel size 3x3 (pad <= kernel/2).", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Pool2dGeometry(3, 8, 4, 2, 2, 2, op: "MaxPool2d"));
        Assert.Equal("MaxPool2d: kernel 4x2 (dilation 1) does not fit input 3x8 with padding 0.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Pool2dGeometry(8, 8, 2, 2, 0, 2));
        Assert.Equal("Pool2d: stride height must be at least 1, got 0.", e.Message);
        e = Assert.Throws<ArgumentException>(() => ConvGeometry.PoolOutputSize(8, 2, 2, 2, op: "MaxPool1d"));
        Assert.Equal("MaxPool1d: padding 2 must be at most half the kernel size 2 (pad <= kernel/2).", e.Message);

        var dil = new Pool2dGeometry(8, 8, 2, 2, 2, 2, dilationH: 2, dilationW: 2);
        e = Assert.Throws<ArgumentException>(() => AvgPool2d.Forward<float>(new float[64], 1, dil, new float[9]));
        Assert.Equal("AvgPool2d.Forward: dilation 2 is not supported by average pooling (must be 1).", e.Message);
        var g = new Pool2dGeometry(8, 8, 2, 2, 2, 2);
        e = Assert.Throws<ArgumentException>(() => MaxPool2d.Forward<float>(new float[128], 2, g, new float[32], new int[31]));
        Assert.Equal("MaxPool2d.Forward: indices has 31 elements, expected 32.", e.Message);
    }

    // --- helpers -------------------------------------------------------------------------------

    private static Pool2dGeometry Geometry(int[] a) => new(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);

    // Runs MaxPool2d.Forward and compares values (bitwise, NaN-aware) and indices with a plain loop
    // implementing PyTorch's rule over the padded window.
    private static void CheckMax<T>(T[] x, int planes, Pool2dGeometry g)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T[] y = new T[planes * g.OutputPlaneSize];
        int[] idx = new int[y.Length];
        MaxPool2d.Forward<T>(x, planes, g, y, idx);
        for (int p = 0; p < planes; p++)
            for (int oh = 0; oh < g.OutH; oh++)
                for (int ow = 0; ow < g.OutW; ow++)
                {
                    T best = T.NegativeInfinity;
                    int at = -1;
                    for (int kh = 0; kh < g.KH; kh++)
                        for (int kw = 0; kw < g.KW; kw++)
                        {
                            int ih = oh * g.StrideH - g.PadH + kh * g.DilationH, iw = ow * g.StrideW - g.PadW + kw * g.DilationW;
                            if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W)
                                continue;
                            T v = x[p * g.InputPlaneSize + ih * g.W + iw];
                            if (at < 0 || v > best || T.IsNaN(v))
                            {
                                best = v;
                                at = ih * g.W + iw;
                            }
                        }
                    int o = p * g.OutputPlaneSize + oh * g.OutW + ow;
                    Assert.True(best.Equals(y[o]), $"plane {p} ({oh},{ow}): expected {best}, got {y[o]}");
                    Assert.True(at == idx[o], $"plane {p} ({oh},{ow}): expected index {at}, got {idx[o]}");
                }
    }

    private static double[] ReferenceAvg(double[] x, int planes, Pool2dGeometry g)
    {
        double[] y = new double[planes * g.OutputPlaneSize];
        for (int p = 0; p < planes; p++)
            for (int oh = 0; oh < g.OutH; oh++)
                for (int ow = 0; ow < g.OutW; ow++)
                {
                    double s = 0;
                    for (int kh = 0; kh < g.KH; kh++)
                        for (int kw = 0; kw < g.KW; kw++)
                        {
                            int ih = oh * g.StrideH - g.PadH + kh, iw = ow * g.StrideW - g.PadW + kw;
                            if (ih >= 0 && ih < g.H && iw >= 0 && iw < g.W)
                                s += x[p * g.InputPlaneSize + ih * g.W + iw];
                        }
                    y[p * g.OutputPlaneSize + oh * g.OutW + ow] = s / (g.KH * g.KW);
                }
        return y;
    }
}

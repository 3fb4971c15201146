using Dendrite.Data.Datasets;

namespace Dendrite.Tests.Data;

public sealed class SyntheticDataTests
{
    [Fact]
    public void PeersMoonsMatchW1SpotValues()
    {
        var (x, y) = Moons.Peers();
        Assert.Equal(new[] { 1000, 2 }, x.Shape);
        Assert.Equal(new[] { 1000 }, y.Shape);
        var xv = x.ToArray<float>();
        var yv = y.ToArray<float>();
        // Values from /work/shared/peers README and its w1_moons.py (normals may differ in the last ulp).
        Assert.Equal(0.8893985f, xv[0], 1e-6f);
        Assert.Equal(0.6340643f, xv[1], 1e-6f);
        Assert.Equal(0.8601699f, xv[2], 1e-6f);
        Assert.Equal(-0.46940947f, xv[3], 1e-6f);
        Assert.Equal(1.6608511f, xv[1998], 1e-6f);
        Assert.Equal(-0.111613676f, xv[1999], 1e-6f);
        Assert.Equal(new float[] { 0, 1, 1, 0, 0, 1, 0, 0 }, yv[..8]);
        Assert.Equal(321, yv[..640].Count(v => v == 1)); // 50.2 % positives in train
    }

    [Fact]
    public void SkLearnMoonsLieOnTheArcsBeforeNoise()
    {
        var (x, y) = Moons.Make(1000, noise: 0, shuffle: false);
        var xv = x.ToArray<float>();
        var yv = y.ToArray<float>();
        for (int i = 0; i < 500; i++)
        {
            double t = i * (Math.PI / 499);
            Assert.Equal((float)Math.Cos(t), xv[2 * i]);
            Assert.Equal((float)Math.Sin(t), xv[2 * i + 1]);
            Assert.Equal(0f, yv[i]);
            Assert.Equal((float)(1 - Math.Cos(t)), xv[1000 + 2 * i]);
            Assert.Equal((float)(1 - Math.Sin(t) - 0.5), xv[1000 + 2 * i + 1]);
            Assert.Equal(1f, yv[500 + i]);
        }
        Assert.Equal(-1f, xv[998]); // t = π exactly at the end of the outer moon
    }

    [Fact]
    public void OddCountGivesTheOuterMoonTheSmallerHalf()
    {
        var (_, y) = Moons.Make(7, shuffle: false);
        Assert.Equal(new float[] { 0, 0, 0, 1, 1, 1, 1 }, y.ToArray<float>());
        var (_, y2) = Moons.Make(7, variant: MoonsVariant.Nndl, shuffle: false);
        Assert.Equal(new float[] { 0, 0, 0, 1, 1, 1, 1 }, y2.ToArray<float>());
    }

    [Fact]
    public void NoiseIsSeededAndDrawnAfterTheShuffle()
    {
        var (clean, yc) = Moons.Make(50, noise: 0, generator: new Generator(9));
        var (noisy, yn) = Moons.Make(50, noise: 0.2, generator: new Generator(9));
        Assert.Equal(yc.ToArray<float>(), yn.ToArray<float>());
        var g = new Generator(9);
        g.Permutation(50);
        var c = clean.ToArray<float>();
        var n = noisy.ToArray<float>();
        for (int i = 0; i < 100; i++)
            Assert.Equal(0.2 * g.Normal(), n[i] - c[i], 1e-6);
        var (again, _) = Moons.Make(50, noise: 0.2, generator: new Generator(9));
        Assert.Equal(n, again.ToArray<float>());
        var (other, _) = Moons.Make(50, noise: 0.2, generator: new Generator(10));
        Assert.NotEqual(n, other.ToArray<float>());
    }

    [Fact]
    public void NndlMoonsFollowTheBookAlgorithm()
    {
        var (x, y) = Moons.Make(10, noise: 0, variant: MoonsVariant.Nndl, shuffle: false);
        var xv = x.ToArray<float>();
        float step = MathF.PI / 4;
        // torch.linspace(0, π, 5) in float32, then cos/sin in float32; inner moon is (1 - cos, 0.5 - sin).
        float[] t = [0, step, 2 * step, MathF.PI - step, MathF.PI];
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(MathF.Cos(t[i]), xv[2 * i]);
            Assert.Equal(MathF.Sin(t[i]), xv[2 * i + 1]);
            Assert.Equal(1f - MathF.Cos(t[i]), xv[10 + 2 * i]);
            Assert.Equal(0.5f - MathF.Sin(t[i]), xv[10 + 2 * i + 1]);
        }
        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 1, 1, 1, 1, 1 }, y.ToArray<float>());
        // Shuffled + noise: a permutation of the clean points, each moved by a seeded N(0, noise²) draw.
        var (xs, ys) = Moons.Make(10, noise: 0.1, generator: new Generator(4), variant: MoonsVariant.Nndl);
        var g = new Generator(4);
        var perm = g.Permutation(10);
        var xsv = xs.ToArray<float>();
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(y.ToArray<float>()[perm[i]], ys.ToArray<float>()[i]);
            for (int j = 0; j < 2; j++)
                Assert.Equal(xv[2 * perm[i] + j] + (float)(0.1 * g.Normal()), xsv[2 * i + j]);
        }
    }

    [Fact]
    public void CirclesHaveTheirRadii()
    {
        var (x, y) = Circles.Make(100, noise: 0, factor: 0.5, generator: new Generator(1));
        var xv = x.ToArray<float>();
        var yv = y.ToArray<float>();
        Assert.Equal(50, yv.Count(v => v == 1));
        for (int i = 0; i < 100; i++)
        {
            double r = Math.Sqrt(xv[2 * i] * xv[2 * i] + xv[2 * i + 1] * xv[2 * i + 1]);
            Assert.Equal(yv[i] == 1 ? 0.5 : 1.0, r, 1e-6);
        }
    }

    [Fact]
    public void LinearRegressionDataFollowsTheModel()
    {
        var (x, y) = LinearRegressionData.Make([2, -3.4], 4.2, 1000, noiseStd: 0, generator: new Generator(5));
        Assert.Equal(new[] { 1000, 2 }, x.Shape);
        Assert.Equal(new[] { 1000, 1 }, y.Shape);
        var xv = x.ToArray<float>();
        var yv = y.ToArray<float>();
        for (int i = 0; i < 1000; i++)
            Assert.Equal(2 * xv[2 * i] - 3.4 * xv[2 * i + 1] + 4.2, yv[i], 1e-5);
        Assert.InRange(xv.Average(), -0.1, 0.1);
        var (_, yNoisy) = LinearRegressionData.Make([2, -3.4], 4.2, 1000, noiseStd: 0.01, generator: new Generator(5));
        var resid = yNoisy.ToArray<float>().Zip(yv, (a, b) => (double)a - b).ToArray();
        double std = Math.Sqrt(resid.Select(r => r * r).Average());
        Assert.InRange(std, 0.008, 0.012);
    }

    [Fact]
    public void FunctionDataMatchesPeersW2Draws()
    {
        // W2: x = Rng(3).uniform(-2, 2) rounded to float32, y = x*x in float32.
        var (x, y) = FunctionData.Make(v => v * v, -2, 2, 10, new Generator(3));
        var g = new Generator(3);
        var xv = x.ToArray<float>();
        var yv = y.ToArray<float>();
        for (int i = 0; i < 10; i++)
        {
            float xi = (float)(-2 + 4 * g.Uniform01());
            Assert.Equal(xi, xv[i]);
            Assert.Equal(xi * xi, yv[i]);
        }
        Assert.Equal(-1.5461986f, xv[0], 1e-7f);
        Assert.Equal(0.8011740f, xv[1], 1e-7f);
        Assert.Equal(0.4518987f, xv[2], 1e-7f);
    }
}

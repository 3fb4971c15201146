using Dendrite.NN;

namespace Dendrite.Tests.NN;

public sealed class InitTests
{
    private static (double Mean, double Std) Stats(Tensor t)
    {
        var v = t.ToArray<float>();
        double mean = v.Average(x => (double)x);
        double var = v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1);
        return (mean, Math.Sqrt(var));
    }

    private static void AssertStats(Tensor t, double mean, double std)
    {
        var (m, s) = Stats(t);
        // Zero-mean schemes: the mean within 2% of the std; others within 2% of the mean.
        Assert.True(Math.Abs(m - mean) <= 0.02 * (mean == 0 ? std : Math.Abs(mean)), $"mean {m}, expected {mean}");
        Assert.True(Math.Abs(s - std) <= 0.02 * std, $"std {s}, expected {std}");
    }

    private static Tensor Weight() => Tensor.Empty(1000, 1000);

    [Fact]
    public void UniformAndNormalHaveTheirMoments()
    {
        AssertStats(Init.Uniform_(Weight(), 1, 3, new Generator(1)), 2, 2 / Math.Sqrt(12));
        AssertStats(Init.Normal_(Weight(), 0.5, 2, new Generator(2)), 0.5, 2);
    }

    [Fact]
    public void XavierSchemesHaveGlorotStd()
    {
        double std = Math.Sqrt(2.0 / 2000);
        AssertStats(Init.XavierUniform_(Weight(), generator: new Generator(3)), 0, std);
        AssertStats(Init.XavierNormal_(Weight(), gain: 2, generator: new Generator(4)), 0, 2 * std);
    }

    [Fact]
    public void KaimingSchemesHaveHeStd()
    {
        AssertStats(Init.KaimingUniform_(Weight(), generator: new Generator(5)), 0, Math.Sqrt(2.0) / Math.Sqrt(1000));
        AssertStats(Init.KaimingNormal_(Weight(), mode: FanMode.FanOut, nonlinearity: Nonlinearity.ReLU, generator: new Generator(6)), 0, Math.Sqrt(2.0 / 1000));
        var rect = Tensor.Empty(500, 2000);
        AssertStats(Init.KaimingNormal_(rect, mode: FanMode.FanOut, nonlinearity: Nonlinearity.Tanh, generator: new Generator(7)), 0, 5.0 / 3 / Math.Sqrt(500));
    }

    [Fact]
    public void LinearDefaultIsUniformOverInverseSqrtFanIn()
    {
        var layer = new Linear(1000, 1000, generator: new Generator(8));
        AssertStats(layer.Weight, 0, 1 / Math.Sqrt(1000) / Math.Sqrt(3));
        Assert.All(layer.Weight.ToArray<float>(), v => Assert.True(Math.Abs(v) <= 1 / Math.Sqrt(1000)));
    }

    [Fact]
    public void LinearDefaultDrawsMatchThePyTorchPeer()
    {
        // Spot value of the W3 peer workload: Linear(784, 10) initialized from Rng(10).
        var layer = new Linear(784, 10, generator: new Generator(10));
        var w = layer.Weight.ToArray<float>();
        Assert.Equal(-0.0333349, w[0], 1e-7);
        Assert.Equal(0.0167405, w[1], 1e-7);
    }

    [Fact]
    public void ConstantsAndGains()
    {
        var t = Tensor.Empty(3, 4);
        Assert.All(Init.Ones_(t).ToArray<float>(), v => Assert.Equal(1f, v));
        Assert.All(Init.Constant_(t, 0.25).ToArray<float>(), v => Assert.Equal(0.25f, v));
        Assert.All(Init.Zeros_(t).ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.Equal(Math.Sqrt(2), Init.CalculateGain(Nonlinearity.ReLU));
        Assert.Equal(5.0 / 3, Init.CalculateGain(Nonlinearity.Tanh));
        Assert.Equal(Math.Sqrt(2 / (1 + 0.2 * 0.2)), Init.CalculateGain(Nonlinearity.LeakyReLU, 0.2));
        Assert.Equal((3 * 25, 16 * 25), Init.CalculateFanInAndFanOut(Tensor.Empty(16, 3, 5, 5)));
        Assert.Throws<ArgumentException>(() => Init.CalculateFanInAndFanOut(Tensor.Empty(5)));
    }

    [Fact]
    public void InitializersWorkOnParametersThatRequireGrad()
    {
        var p = Tensor.Zeros([4, 4], DType.Float32, requiresGrad: true);
        Init.XavierUniform_(p);
        Assert.True(p.RequiresGrad);
        Assert.Contains(p.ToArray<float>(), v => v != 0);
    }

    [Fact]
    public void OrthogonalGivesOrthonormalRowsOrColumns()
    {
        foreach (var (rows, cols) in new[] { (64, 128), (128, 64), (50, 50) })
        {
            var w = Init.Orthogonal_(Tensor.Empty([rows, cols], DType.Float64), gain: 1, generator: new Generator(9));
            var gram = rows < cols ? w.MatMul(w.T) : w.T.MatMul(w); // [min, min]
            var g = gram.ToArray<double>();
            int n = Math.Min(rows, cols);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    Assert.Equal(i == j ? 1.0 : 0.0, g[i * n + j], 10);
        }
        var conv = Init.Orthogonal_(Tensor.Empty(8, 2, 3, 3), gain: 2, generator: new Generator(10)).Reshape(8, 18);
        var cg = conv.MatMul(conv.T).ToArray<float>();
        for (int i = 0; i < 8; i++)
            Assert.Equal(4.0, cg[i * 8 + i], 4);
    }

    [Fact]
    public void OrthogonalMatchesPyTorchSignConvention()
    {
        // torch.nn.init.orthogonal_'s QR with sign correction, applied in PyTorch to the same normal draws.
        double[] wide =
        [
            0.7168441217751111, -0.366324152892383, 0.15304012012325202, 0.17841813578301088, -0.5446896460742793,
            -0.4568565723192627, -0.778990237334067, 0.2787700510445132, -0.3107710576230083, -0.10082108336764004,
            0.42419156570542527, -0.4061030823175168, -0.45670919453915065, -0.22002742215143836, 0.6309884683901795,
        ];
        double[] tall =
        [
            -0.7140398909645325, 0.3974653653824457, 0.4659638448228412, 0.3814606591407067, 0.6496765441869254, 0.40657890243624933,
            -0.4217435591557273, -0.4927954091779148, 0.28715644021873044, 0.4083713627936656, -0.42082580237897105, 0.7315138209579888,
        ];
        var a = Init.Orthogonal_(Tensor.Empty([3, 5], DType.Float64), generator: new Generator(42)).ToArray<double>();
        var b = Init.Orthogonal_(Tensor.Empty([4, 3], DType.Float64), generator: new Generator(43)).ToArray<double>();
        for (int i = 0; i < wide.Length; i++)
            Assert.Equal(wide[i], a[i], 12);
        for (int i = 0; i < tall.Length; i++)
            Assert.Equal(tall[i], b[i], 12);
    }
}

using Dendrite.NN;

namespace Dendrite.Tests.NN;

public sealed class FunctionalDropoutTests
{
    [Fact]
    public void DropoutZeroesAboutPAndPreservesTheMean()
    {
        var x = Tensor.Ones([200_000], DType.Float64);
        var y = F.Dropout(x, 0.3, generator: new Generator(5)).ToArray<double>();
        int zeros = y.Count(v => v == 0);
        Assert.InRange(zeros / 200_000.0, 0.295, 0.305);
        Assert.All(y, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.7) < 1e-12));
        Assert.InRange(y.Average(), 0.99, 1.01);
    }

    [Fact]
    public void DropoutIsIdentityWhenNotTrainingOrPIsZero()
    {
        var x = Tensor.RandN([10], new Generator(1));
        Assert.Same(x, F.Dropout(x, 0.5, training: false));
        Assert.Same(x, F.Dropout(x, 0.0));
    }

    [Fact]
    public void DropoutWithSameSeedGivesSameMask()
    {
        var x = Tensor.Ones(1000);
        var a = F.Dropout(x, 0.5, generator: new Generator(42)).ToArray<float>();
        var b = F.Dropout(x, 0.5, generator: new Generator(42)).ToArray<float>();
        var c = F.Dropout(x, 0.5, generator: new Generator(43)).ToArray<float>();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void DropoutGradientIsTheMask()
    {
        var x = Tensor.RandN([500], new Generator(2), DType.Float64);
        x.RequiresGrad = true;
        var y = F.Dropout(x, 0.4, generator: new Generator(7));
        y.Sum().Backward();
        var yv = y.ToArray<double>();
        var xv = x.ToArray<double>();
        var gv = x.Grad!.ToArray<double>();
        for (int i = 0; i < yv.Length; i++)
            Assert.Equal(yv[i] == 0 ? 0 : 1 / 0.6, gv[i], 12);
        Assert.Contains(gv, v => v == 0);
        Assert.Equal(xv.Length, gv.Length);
    }

    [Fact]
    public void DropoutWithPOneGivesZerosAndPIsValidated()
    {
        Assert.All(F.Dropout(Tensor.Ones(50), 1.0).ToArray<float>(), v => Assert.Equal(0f, v));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => F.Dropout(Tensor.Ones(3), 1.5));
        Assert.Contains("[0, 1]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.Dropout(Tensor.Ones(3), -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => F.Dropout(Tensor.Ones(3), double.NaN));
    }
}

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

public sealed class NonInvertedDropoutTests
{
    [Fact]
    public void NonInvertedDropoutKeepsValuesInTrainingAndScalesByOneMinusPInEvaluation()
    {
        var x = Tensor.RandN([10_000], new Generator(3), DType.Float64);
        var xs = x.ToArray<double>();
        var inverted = F.Dropout(x, 0.25, generator: new Generator(8)).ToArray<double>();
        var plain = F.Dropout(x, 0.25, generator: new Generator(8), inverted: false).ToArray<double>();
        for (int i = 0; i < xs.Length; i++)
        {
            // The same generator drops the same elements; the kept ones differ only by the scale 1/(1 − p).
            Assert.Equal(inverted[i] == 0, plain[i] == 0);
            Assert.Equal(plain[i] == 0 ? 0 : xs[i], plain[i]);
            Assert.Equal(plain[i] == 0 ? 0 : xs[i] * (1 / 0.75), inverted[i]);
        }
        Assert.Equal(xs.Select(v => v * 0.75), F.Dropout(x, 0.25, training: false, inverted: false).ToArray<double>());
        Assert.Same(x, F.Dropout(x, 0.25, training: false));
        Assert.Same(x, F.Dropout(x, 0.0, training: false, inverted: false));
        Assert.All(F.Dropout(x, 1.0, training: false, inverted: false).ToArray<double>(), v => Assert.Equal(0, v));
    }

    [Fact]
    public void BothFormsHaveTheEvaluationOutputAsTheirExpectedTrainingOutput()
    {
        // Mean over 4000 masks of one input row: inverted → x, non-inverted → (1 − p)·x, each its own evaluation output.
        var x = Tensor.FromArray(new float[] { 1, -2, 0.5f, 3 }, 1, 4);
        var rows = x.Expand(4000, 4);
        var g = new Generator(21);
        double[] inv = F.Dropout(rows, 0.4, generator: g).Mean(0).ToArray<float>().Select(v => (double)v).ToArray();
        double[] plain = F.Dropout(rows, 0.4, generator: g, inverted: false).Mean(0).ToArray<float>().Select(v => (double)v).ToArray();
        float[] evalInv = F.Dropout(x, 0.4, training: false).Reshape(-1).ToArray<float>();
        float[] evalPlain = F.Dropout(x, 0.4, training: false, inverted: false).Reshape(-1).ToArray<float>();
        for (int i = 0; i < 4; i++)
        {
            double sd = Math.Abs(x.Reshape(-1).ToArray<float>()[i]) * Math.Sqrt(0.4 * 0.6 / 4000); // std of the mean of the masks
            Assert.InRange(inv[i], evalInv[i] - 5 * sd / 0.6, evalInv[i] + 5 * sd / 0.6);
            Assert.InRange(plain[i], evalPlain[i] - 5 * sd, evalPlain[i] + 5 * sd);
            Assert.Equal(0.6f * x.Reshape(-1).ToArray<float>()[i], evalPlain[i], 6);
        }
    }

    [Fact]
    public void TheModuleSwitchesFormsAndPrintsWhichOneItIs()
    {
        var drop = new Dropout(0.5, new Generator(1), inverted: false);
        Assert.False(drop.Inverted);
        Assert.True(new Dropout(0.5).Inverted);
        Assert.Equal("Dropout(p=0.5, inplace=False, inverted=False)", drop.ToString());
        Assert.Equal("Dropout(p=0.5, inplace=False)", new Dropout(0.5).ToString());
        var x = Tensor.Ones(1000);
        Assert.All(drop.Forward(x).ToArray<float>(), v => Assert.True(v is 0f or 1f));
        drop.Eval();
        Assert.All(drop.Forward(x).ToArray<float>(), v => Assert.Equal(0.5f, v));
    }
}

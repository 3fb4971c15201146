namespace Dendrite.Tests.Ops;

public sealed class ReductionTests
{
    // [[3, 9, 1], [7, 2, 8]]
    private static Tensor M() => Tensor.FromArray(new double[] { 3, 9, 1, 7, 2, 8 }, 2, 3);

    [Fact]
    public void MaxAndMinOfAll()
    {
        Assert.Equal(9.0, M().Max().Item());
        Assert.Equal(1.0, M().Min().Item());
        Assert.Empty(M().Max().Shape);
        Assert.Equal(9.0, M().T.Max().Item());
        Assert.Equal(8L, Tensor.FromArray(new long[] { 3, 8, -1 }).Max().Item<long>());
        Assert.Equal(DType.Int64, Tensor.FromArray(new long[] { 3, 8, -1 }).Max().DType);
    }

    [Fact]
    public void MaxOfAllRoutesTheGradientToTheArgMax()
    {
        var x = M();
        x.RequiresGrad = true;
        (x.Max() * 2.0 + x.Min()).Backward();
        Assert.Equal(new double[] { 0, 2, 1, 0, 0, 0 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void MaxAndMinOfAllShareTheGradientAmongTies()
    {
        // PyTorch 1.13: torch.tensor([1., 3., 3.]).max() backward gives [0, 0.5, 0.5]; NaN results split among NaNs.
        var x = Tensor.FromArray(new double[] { 1, 3, 3 });
        x.RequiresGrad = true;
        x.Max().Backward();
        Assert.Equal(new double[] { 0, 0.5, 0.5 }, x.Grad!.ToArray<double>());
        var y = Tensor.FromArray(new double[] { 1, -2, -2, 0 }, 2, 2);
        y.RequiresGrad = true;
        (y.Min() * 3.0).Backward();
        Assert.Equal(new double[] { 0, 1.5, 1.5, 0 }, y.Grad!.ToArray<double>());
        var z = Tensor.FromArray(new float[] { 1, float.NaN, float.NaN });
        z.RequiresGrad = true;
        z.Max().Backward();
        Assert.Equal(new float[] { 0, 0.5f, 0.5f }, z.Grad!.ToArray<float>());
    }

    [Fact]
    public void MaxOverADimGivesValuesAndIndices()
    {
        var (values, indices) = M().Max(1);
        Assert.Equal(new double[] { 9, 8 }, values.ToArray<double>());
        Assert.Equal(new long[] { 1, 2 }, indices.ToArray<long>());
        Assert.Equal(DType.Int64, indices.DType);
        var (mv, mi) = M().Min(0, keepDim: true);
        Assert.Equal(new[] { 1, 3 }, mv.Shape);
        Assert.Equal(new double[] { 3, 2, 1 }, mv.ToArray<double>());
        Assert.Equal(new long[] { 0, 1, 0 }, mi.ToArray<long>());
    }

    [Fact]
    public void MaxOverADimIsDifferentiable()
    {
        var x = M();
        x.RequiresGrad = true;
        x.Max(0).Values.Backward(Tensor.FromArray(new double[] { 1, 2, 3 }));
        Assert.Equal(new double[] { 0, 2, 0, 1, 0, 3 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void TiesPickTheFirstAndNaNWins()
    {
        var x = Tensor.FromArray(new double[] { 5, 5, 1, 2, double.NaN, 7 }, 2, 3);
        Assert.Equal(new long[] { 0, 1 }, x.ArgMax(1).ToArray<long>());
        Assert.True(double.IsNaN(x.Max().Item()));
    }

    [Fact]
    public void ArgMaxAndArgMin()
    {
        Assert.Equal(1L, M().ArgMax().Item<long>());
        Assert.Equal(2L, M().ArgMin().Item<long>());
        Assert.Equal(new long[] { 1, 0, 1 }, M().ArgMax(0).ToArray<long>());
        Assert.Equal(new[] { 2, 1 }, M().ArgMin(1, keepDim: true).Shape);
        Assert.Equal(new[] { 1, 1 }, M().ArgMax(keepDim: true).Shape);
    }

    [Fact]
    public void EmptyReductionsThrow()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(0, 3).Max());
        Assert.Contains("empty", e.Message);
        Assert.Contains("[0, 3]", e.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 0).Max(1));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(0).ArgMin());
    }

    [Fact]
    public void VarianceAndStandardDeviation()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4 });
        Assert.Equal(5.0 / 3.0, x.Var().Item(), 12);
        Assert.Equal(1.25, x.Var(unbiased: false).Item(), 12);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), x.Std().Item(), 12);
        var m = M();
        var rowVar = m.Var(1).ToArray<double>();
        Assert.Equal(52.0 / 3.0, rowVar[0], 12); // [3, 9, 1]: Σ(x − 13/3)² = 104/3, over n − 1 = 2
        Assert.Equal(31.0 / 3.0, rowVar[1], 12); // [7, 2, 8]: Σ(x − 17/3)² = 62/3
        Assert.Equal(new double[] { 4, 12.25, 12.25 }, m.Var(0, unbiased: false).ToArray<double>());
        Assert.Equal(new[] { 1, 1 }, m.Var([0, 1], keepDim: true).Shape);
        Assert.Equal(new[] { 3 }, m.Std(0).Shape);
    }

    [Fact]
    public void VarianceIsAccurateForLargeOffsets()
    {
        // A one-pass Σx² − (Σx)²/n formula would lose every digit here.
        var x = Tensor.FromArray(new double[] { 1e9 + 1, 1e9 + 2, 1e9 + 3 });
        Assert.Equal(1.0, x.Var().Item(), 9);
        var f = Tensor.FromArray(new float[] { 10000.5f, 10001.5f, 10002.5f });
        Assert.Equal(1.0, f.Var().Item(), 3);
    }

    [Fact]
    public void UnbiasedVarianceOfOneElementIsNaN()
        => Assert.True(double.IsNaN(Tensor.FromArray(new double[] { 4 }).Var().Item()));

    [Fact]
    public void ReductionsOverNoElementsMatchPyTorch()
    {
        // torch: zeros(0, 3).mean(0) = [nan]*3, .sum(0) = [0]*3, .var(0) = .std(0) = [nan]*3 (biased too), logsumexp = -inf.
        Assert.All(Tensor.Zeros(0, 3).Mean(0).ToArray<float>(), v => Assert.True(float.IsNaN(v)));
        Assert.All(Tensor.Zeros(3, 0).Mean(1).ToArray<float>(), v => Assert.True(float.IsNaN(v)));
        Assert.True(double.IsNaN(Tensor.Zeros(0, 3).Mean().Item()));
        Assert.Equal(new[] { 0f, 0f, 0f }, Tensor.Zeros(0, 3).Sum(0).ToArray<float>());
        Assert.Equal(0.0, Tensor.Zeros(0).Sum().Item());
        foreach (bool unbiased in new[] { true, false })
        {
            Assert.All(Tensor.Zeros(0, 3).Var([0], unbiased: unbiased).ToArray<float>(), v => Assert.True(float.IsNaN(v)));
            Assert.All(Tensor.Zeros(3, 0).Var([1], unbiased: unbiased).ToArray<float>(), v => Assert.True(float.IsNaN(v)));
            Assert.All(Tensor.Zeros(0, 3).Std([0], unbiased: unbiased).ToArray<float>(), v => Assert.True(float.IsNaN(v)));
        }
        Assert.All(Tensor.Zeros(0, 3).LogSumExp(0).ToArray<float>(), v => Assert.Equal(float.NegativeInfinity, v));
        Assert.Equal(new[] { 0, 3 }, Tensor.Zeros(0, 3).Softmax(0).Shape);
        Assert.Empty(Tensor.Zeros(3, 0).Max(0).Values.ToArray<float>());
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(0, 3).Max(0));
    }
}

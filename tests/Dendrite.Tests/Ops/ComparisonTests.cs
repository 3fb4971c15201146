namespace Dendrite.Tests.Ops;

public sealed class ComparisonTests
{
    private static readonly Tensor A = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);

    [Fact]
    public void ComparisonsBroadcastAndGiveBool()
    {
        var row = Tensor.FromArray(new double[] { 2, 2, 6 });
        var gt = A.Gt(row);
        Assert.Equal(DType.Bool, gt.DType);
        Assert.Equal(new[] { 2, 3 }, gt.Shape);
        Assert.Equal(new[] { false, false, false, true, true, false }, gt.ToArray<bool>());
        Assert.Equal(new[] { false, true, false, false, false, true }, A.Eq(row).ToArray<bool>());
        Assert.Equal(new[] { true, false, true, true, true, false }, A.Ne(row).ToArray<bool>());
        Assert.Equal(new[] { true, false, true, false, false, false }, A.Lt(row).ToArray<bool>());
        Assert.Equal(new[] { false, true, false, true, true, true }, A.Ge(row).ToArray<bool>());
        Assert.Equal(new[] { true, true, true, false, false, true }, A.Le(row).ToArray<bool>());
    }

    [Fact]
    public void ScalarOverloads()
    {
        Assert.Equal(new[] { false, false, true, true, true, true }, A.Gt(2.5).ToArray<bool>());
        Assert.Equal(new[] { false, false, false, true, false, false }, A.Eq(4).ToArray<bool>());
        Assert.Equal(new[] { true, true, false, false, false, false }, A.Le(2).ToArray<bool>());
    }

    [Fact]
    public void MixedDTypesPromote()
    {
        var ints = Tensor.FromArray(new long[] { 1, 2, 3 });
        Assert.Equal(new[] { false, true, true }, ints.Gt(1.5).ToArray<bool>());
        Assert.Equal(new[] { false, true, false }, ints.Eq(Tensor.FromArray(new float[] { 1.5f, 2f, 2.5f })).ToArray<bool>());
        var bools = Tensor.FromArray(new[] { true, false });
        Assert.Equal(new[] { true, false }, bools.Eq(1).ToArray<bool>());
        Assert.Equal(new[] { false, true }, bools.Lt(ints.Narrow(0, 0, 2)).ToArray<bool>());
    }

    [Fact]
    public void NaNComparesUnequalToEverything()
    {
        var x = Tensor.FromArray(new[] { double.NaN, 1.0 });
        Assert.Equal(new[] { false, true }, x.Eq(x).ToArray<bool>());
        Assert.Equal(new[] { true, false }, x.Ne(x).ToArray<bool>());
        Assert.Equal(new[] { false, true }, x.Gt(0.0).ToArray<bool>());
        Assert.Equal(new[] { false, false }, x.Le(0.0).ToArray<bool>());
        Assert.Equal(new[] { false, false }, x.Ge(double.NaN).ToArray<bool>());
    }

    [Fact]
    public void NonContiguousOperands()
    {
        var t = A.T; // [[1, 4], [2, 5], [3, 6]]
        Assert.Equal(new[] { false, true, true, true, true, true }, t.Gt(Tensor.FromArray(new double[] { 1, 3 })).ToArray<bool>());
    }

    [Fact]
    public void WhereSelectsWithBroadcasting()
    {
        var cond = Tensor.FromArray(new[] { true, false, true });
        var y = Tensor.Where(cond, A, Tensor.FromArray(new double[] { -1, -2 }, 2, 1));
        Assert.Equal(new double[] { 1, -1, 3, 4, -2, 6 }, y.ToArray<double>());
        Assert.Equal(new double[] { 1, 0, 3, 4, 0, 6 }, Tensor.Where(cond, A, 0.0).ToArray<double>());
        Assert.Equal(new double[] { 9, 2, 9, 9, 5, 9 }, Tensor.Where(cond, 9.0, A).ToArray<double>());
    }

    [Fact]
    public void WherePromotesAndRoutesGradients()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3 });
        x.RequiresGrad = true;
        var yv = Tensor.FromArray(new double[] { 10 });
        yv.RequiresGrad = true;
        var cond = x.Gt(1.5);
        var r = Tensor.Where(cond, x, yv);
        Assert.Equal(new double[] { 10, 2, 3 }, r.ToArray<double>());
        r.Backward(Tensor.FromArray(new double[] { 1, 2, 4 }));
        Assert.Equal(new double[] { 0, 2, 4 }, x.Grad!.ToArray<double>());
        Assert.Equal(new double[] { 1 }, yv.Grad!.ToArray<double>());
        Assert.Equal(DType.Float64, Tensor.Where(cond, Tensor.FromArray(new long[] { 1, 2, 3 }), x).DType);
    }

    [Fact]
    public void WhereNeedsABoolCondition()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Where(A, A, A));
        Assert.Contains("Bool", e.Message);
        Assert.Contains("Float64", e.Message);
    }

    [Fact]
    public void MaskedFillFillsAndBlocksTheGradient()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, 2, 2);
        x.RequiresGrad = true;
        var mask = Tensor.FromArray(new[] { false, true });
        var y = x.MaskedFill(mask, double.NegativeInfinity);
        Assert.Equal(new[] { 1, double.NegativeInfinity, 3, double.NegativeInfinity }, y.ToArray<double>());
        y.Softmax(-1).Sum().Backward();
        Assert.Equal(new double[] { 0, 0, 0, 0 }, x.Grad!.ToArray<double>());
        (x.MaskedFill(mask, 0) * 3.0).Sum().Backward();
        Assert.Equal(new double[] { 3, 0, 3, 0 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void MaskedFillRejectsMasksThatDoNotBroadcastToTheTensor()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2).MaskedFill(Tensor.FromArray(new[] { true, false }, 2, 1), 1));
        Assert.Contains("[2, 1]", e.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2).MaskedFill(Tensor.Zeros(2), 1));
    }

    [Fact]
    public void LogicalOps()
    {
        var a = Tensor.FromArray(new[] { true, true, false, false });
        var b = Tensor.FromArray(new[] { true, false, true, false });
        Assert.Equal(new[] { false, false, true, true }, a.LogicalNot().ToArray<bool>());
        Assert.Equal(new[] { true, false, false, false }, a.LogicalAnd(b).ToArray<bool>());
        Assert.Equal(new[] { true, true, true, false }, a.LogicalOr(b).ToArray<bool>());
        Assert.True(a.Any().Item<bool>());
        Assert.False(a.All().Item<bool>());
        Assert.True(Tensor.FromArray(new[] { true, true }).All().Item<bool>());
        Assert.False(Tensor.Zeros(3).Any().Item<bool>());
        Assert.Equal(2L, a.Sum().Item<long>());
    }
}

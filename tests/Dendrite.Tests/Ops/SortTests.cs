namespace Dendrite.Tests.Ops;

/// <summary>Tensor.Sort / ArgSort on the CPU: order, stability, NaN placement, dims, dtypes, autograd and errors.</summary>
public sealed class SortTests
{
    private static readonly double NaN = double.NaN;

    [Fact]
    public void AscendingIsStableWithNaNLast()
    {
        // The same case as torch.sort(x, stable=True) in PyTorch 1.13.
        var x = Tensor.FromArray(new double[] { 3, NaN, 1, 3, double.NegativeInfinity, 2, NaN, 0, -0.0 });
        var (values, indices) = x.Sort();
        Assert.Equal(new double[] { double.NegativeInfinity, 0, -0.0, 1, 2, 3, 3, NaN, NaN }, values.ToArray<double>());
        Assert.Equal(new long[] { 4, 7, 8, 2, 5, 0, 3, 1, 6 }, indices.ToArray<long>());
        Assert.Equal(DType.Int64, indices.DType);
        Assert.True(double.IsNegative(values.ToArray<double>()[2]));   // −0 keeps its place after +0 (equal keys)
    }

    [Fact]
    public void DescendingIsStableWithNaNFirst()
    {
        var x = Tensor.FromArray(new float[] { 3, float.NaN, 1, 3, float.NegativeInfinity, 2, float.NaN, 0, -0f });
        var (values, indices) = x.Sort(descending: true);
        Assert.Equal(new long[] { 1, 6, 0, 3, 5, 2, 7, 8, 4 }, indices.ToArray<long>());
        Assert.Equal(new float[] { float.NaN, float.NaN, 3, 3, 2, 1, 0, -0f, float.NegativeInfinity }, values.ToArray<float>());
        Assert.Equal(indices.ToArray<long>(), x.ArgSort(descending: true).ToArray<long>());
    }

    [Fact]
    public void SortsAlongAnyDim()
    {
        var x = Tensor.FromArray(new double[] { 3, 1, 2, 2, 5, 0 }, 2, 3);
        var (v0, i0) = x.Sort(0);
        Assert.Equal(new double[] { 2, 1, 0, 3, 5, 2 }, v0.ToArray<double>());
        Assert.Equal(new long[] { 1, 0, 1, 0, 1, 0 }, i0.ToArray<long>());
        var (v1, i1) = x.Sort(1, descending: true);
        Assert.Equal(new double[] { 3, 2, 1, 5, 2, 0 }, v1.ToArray<double>());
        Assert.Equal(new long[] { 0, 2, 1, 1, 0, 2 }, i1.ToArray<long>());
        // A strided (transposed) input sorts its own lines.
        var (vt, it) = x.T.Sort(-1);
        Assert.Equal(new[] { 3, 2 }, vt.Shape);
        Assert.Equal(new double[] { 2, 3, 1, 5, 0, 2 }, vt.ToArray<double>());
        Assert.Equal(new long[] { 1, 0, 0, 1, 1, 0 }, it.ToArray<long>());
        // Values are the input gathered at the indices, for a middle dim of a 3-D tensor.
        var g = new Generator(5);
        var y = Tensor.RandInt(0, 4, [3, 7, 2], g).To(DType.Float32);
        var (vy, iy) = y.Sort(1);
        Assert.Equal(y.Gather(1, iy).ToArray<float>(), vy.ToArray<float>());
        for (int o = 0; o < 3; o++)
            for (int i = 0; i < 2; i++)
                for (int j = 1; j < 7; j++)
                {
                    double a = vy[o, j - 1, i].Item(), b = vy[o, j, i].Item();
                    Assert.True(a <= b);
                    if (a == b)
                        Assert.True(iy[o, j - 1, i].Item<long>() < iy[o, j, i].Item<long>());
                }
    }

    [Fact]
    public void SortsInt64AndBool()
    {
        var labels = Tensor.FromArray(new long[] { 4, -2, 4, 0, long.MaxValue, -2 });
        var (v, i) = labels.Sort();
        Assert.Equal(new long[] { -2, -2, 0, 4, 4, long.MaxValue }, v.ToArray<long>());
        Assert.Equal(new long[] { 1, 5, 3, 0, 2, 4 }, i.ToArray<long>());
        var mask = Tensor.FromArray(new[] { true, false, true });
        var (bv, bi) = mask.Sort();
        Assert.Equal(new[] { false, true, true }, bv.ToArray<bool>());
        Assert.Equal(new long[] { 1, 0, 2 }, bi.ToArray<long>());
    }

    [Fact]
    public void EdgeShapes()
    {
        var (v, i) = Tensor.Scalar(2.5).Sort();
        Assert.Empty(v.Shape);
        Assert.Equal(2.5f, v.Item());
        Assert.Equal(0L, i.Item<long>());
        var (ve, ie) = Tensor.Zeros(0, 3).Sort(0);
        Assert.Equal(new[] { 0, 3 }, ve.Shape);
        Assert.Equal(new[] { 0, 3 }, ie.Shape);
        Assert.Equal(new long[] { 0, 0, 0 }, Tensor.Ones(1, 3).ArgSort(0).ToArray<long>());
    }

    [Fact]
    public void ManyLinesAndLongLinesSortLikeArraySort()
    {
        // Large enough to run the lines in parallel; ties are frequent (values 0..9).
        var g = new Generator(11);
        var x = Tensor.RandInt(0, 10, [64, 700], g).To(DType.Float64);
        var (v, i) = x.Sort(1, descending: true);
        var data = x.ToArray<double>();
        var vs = v.ToArray<double>();
        var ids = i.ToArray<long>();
        for (int r = 0; r < 64; r++)
        {
            var expected = Enumerable.Range(0, 700).OrderByDescending(j => data[r * 700 + j]).ToArray();   // LINQ's sort is stable
            for (int j = 0; j < 700; j++)
            {
                Assert.Equal(expected[j], ids[r * 700 + j]);
                Assert.Equal(data[r * 700 + expected[j]], vs[r * 700 + j]);
            }
        }
    }

    [Fact]
    public void GradientFlowsBackToTheSourcePositions()
    {
        var x = Tensor.FromArray(new double[] { 0.5, -1, 2, 0.25 }, 2, 2);
        x.RequiresGrad = true;
        var (v, i) = x.Sort(1);
        Assert.Equal("SortBackward", v.GradFn!.Name);
        Assert.False(i.RequiresGrad);
        // d/dx Σ w·sorted: w goes to where each sorted value came from.
        (v * Tensor.FromArray(new double[] { 1, 10, 100, 1000 }, 2, 2)).Sum().Backward();
        Assert.Equal(new double[] { 10, 1, 1000, 100 }, x.Grad!.ToArray<double>());
        Assert.False(x.ArgSort().RequiresGrad);
    }

    [Fact]
    public void BadDimIsAClearError()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Tensor.Zeros(2, 3).Sort(2));
        Assert.Contains("Sort", e.Message);
        var a = Assert.ThrowsAny<ArgumentException>(() => Tensor.Zeros(2, 3).ArgSort(-3));
        Assert.Contains("ArgSort", a.Message);
    }
}

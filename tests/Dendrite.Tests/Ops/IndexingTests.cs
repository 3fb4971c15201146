namespace Dendrite.Tests.Ops;

public sealed class IndexingTests
{
    private static Tensor Grid(int rows, int cols) => Tensor.Arange(0, rows * cols, 1, DType.Float64).Reshape(rows, cols);

    [Fact]
    public void CatJoinsAlongAnyDim()
    {
        var a = Grid(2, 2);
        var b = Tensor.FromArray(new double[] { 9, 8 }, 2, 1);
        Assert.Equal(new double[] { 0, 1, 9, 2, 3, 8 }, Tensor.Cat([a, b], 1).ToArray<double>());
        Assert.Equal(new double[] { 0, 1, 2, 3, 0, 2, 1, 3 }, Tensor.Cat([a, a.T]).ToArray<double>());
        Assert.Equal(new[] { 2, 3 }, Tensor.Cat([a, b], -1).Shape);
        Assert.Equal(DType.Float64, Tensor.Cat([Tensor.Ones(1), Tensor.Ones([1], DType.Float64)]).DType);
        Assert.Equal(new long[] { 1, 2, 3 }, Tensor.Cat([Tensor.FromArray(new long[] { 1 }), Tensor.FromArray(new long[] { 2, 3 })]).ToArray<long>());
    }

    [Fact]
    public void CatErrorsNameTheShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Cat([Grid(2, 2), Grid(3, 3)], 1));
        Assert.Contains("tensor 1 has shape [3, 3]", e.Message);
        Assert.Contains("dimension 0", e.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Cat(Array.Empty<Tensor>()));
        Assert.Throws<ArgumentException>(() => Tensor.Cat([Grid(2, 2), Tensor.Ones(2)]));
    }

    [Fact]
    public void StackAddsADim()
    {
        var a = Tensor.FromArray(new double[] { 1, 2 });
        var b = Tensor.FromArray(new double[] { 3, 4 });
        var s0 = Tensor.Stack([a, b]);
        Assert.Equal(new[] { 2, 2 }, s0.Shape);
        Assert.Equal(new double[] { 1, 2, 3, 4 }, s0.ToArray<double>());
        Assert.Equal(new double[] { 1, 3, 2, 4 }, Tensor.Stack([a, b], 1).ToArray<double>());
        Assert.Equal(new double[] { 1, 3, 2, 4 }, Tensor.Stack([a, b], -1).ToArray<double>());
        var e = Assert.Throws<ArgumentException>(() => Tensor.Stack([a, Tensor.Ones(3)]));
        Assert.Contains("same shape", e.Message);
    }

    [Fact]
    public void GatherPicksAlongADim()
    {
        var x = Grid(3, 4);
        var idx = Tensor.FromArray(new long[] { 3, 0, 1, 1, 2, 2 }, 3, 2);
        Assert.Equal(new double[] { 3, 0, 5, 5, 10, 10 }, x.Gather(1, idx).ToArray<double>());
        var rows = Tensor.FromArray(new long[] { 2, 0, 1, 0 }, 1, 4);
        Assert.Equal(new double[] { 8, 1, 6, 3 }, x.Gather(0, rows).ToArray<double>());
        // x.T is [4, 3]; picking rows 3 and 0 of it gives columns 3 and 0 of x
        Assert.Equal(new double[] { 3, 7, 11, 0, 4, 8 }, x.T.Gather(0, Tensor.FromArray(new long[] { 3, 3, 3, 0, 0, 0 }, 2, 3)).ToArray<double>());
    }

    [Fact]
    public void GatherBackwardAccumulatesRepeatedIndices()
    {
        var x = Grid(2, 3);
        x.RequiresGrad = true;
        x.Gather(1, Tensor.FromArray(new long[] { 1, 1, 0, 2 }, 2, 2)).Sum().Backward();
        Assert.Equal(new double[] { 0, 2, 0, 1, 0, 1 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void GatherValidatesTheIndex()
    {
        var x = Grid(2, 3);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => x.Gather(1, Tensor.FromArray(new long[] { 0, 3 }, 2, 1)));
        Assert.Contains("index 3 is out of bounds for dimension 1 with size 3", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Gather(1, Tensor.FromArray(new long[] { -1, 0 }, 2, 1)));
        Assert.Contains("Int64", Assert.Throws<ArgumentException>(() => x.Gather(1, Tensor.Zeros(2, 1))).Message);
        Assert.Contains("dimensions", Assert.Throws<ArgumentException>(() => x.Gather(1, Tensor.FromArray(new long[] { 0 }))).Message);
        Assert.Throws<ArgumentException>(() => x.Gather(1, Tensor.FromArray(new long[] { 0, 0, 0 }, 3, 1)));
    }

    [Fact]
    public void IndexSelectCopiesRowsOrColumns()
    {
        var x = Grid(3, 4);
        Assert.Equal(new double[] { 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11 }, x.IndexSelect(0, Tensor.FromArray(new long[] { 2, 0, 2 })).ToArray<double>());
        Assert.Equal(new double[] { 3, 1, 7, 5, 11, 9 }, x.IndexSelect(1, Tensor.FromArray(new long[] { 3, 1 })).ToArray<double>());
        Assert.Equal(new double[] { 1, 5, 9 }, x.T.IndexSelect(0, Tensor.FromArray(new long[] { 1 })).ToArray<double>());
        Assert.Equal(new[] { 0, 4 }, x.IndexSelect(0, Tensor.FromArray(Array.Empty<long>())).Shape);
        var labels = Tensor.FromArray(new long[] { 5, 6, 7 });
        Assert.Equal(new long[] { 7, 5 }, labels.IndexSelect(0, Tensor.FromArray(new long[] { 2, 0 })).ToArray<long>());
    }

    [Fact]
    public void IndexSelectBackwardIndexAdds()
    {
        var x = Grid(3, 2);
        x.RequiresGrad = true;
        x.IndexSelect(0, Tensor.FromArray(new long[] { 2, 0, 2 })).Backward(Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 3, 2));
        Assert.Equal(new double[] { 3, 4, 0, 0, 6, 8 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void IndexSelectValidatesTheIndex()
    {
        var x = Grid(3, 4);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(0, Tensor.FromArray(new long[] { 0, 3 })));
        Assert.Contains("index 3 is out of bounds for dimension 0 with size 3", e.Message);
        Assert.Throws<ArgumentException>(() => x.IndexSelect(0, Tensor.FromArray(new long[] { 0, 1 }, 1, 2)));
        Assert.Throws<ArgumentException>(() => x.IndexSelect(0, Tensor.Zeros(2)));
    }

    [Fact]
    public void OneHotEncodesLabels()
    {
        var y = Tensor.OneHot(Tensor.FromArray(new long[] { 2, 0, 1 }), 4);
        Assert.Equal(DType.Int64, y.DType);
        Assert.Equal(new[] { 3, 4 }, y.Shape);
        Assert.Equal(new long[] { 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0 }, y.ToArray<long>());
        Assert.Equal(new[] { 2, 1, 3 }, Tensor.OneHot(Tensor.FromArray(new long[] { 2, 0 }, 2, 1)).Shape);
    }

    [Fact]
    public void OneHotRejectsOutOfRangeLabels()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.OneHot(Tensor.FromArray(new long[] { 1, 7 }), 5));
        Assert.Contains("label 7", e.Message);
        Assert.Contains("5 classes", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.OneHot(Tensor.FromArray(new long[] { -1 }), 5));
        Assert.Throws<ArgumentException>(() => Tensor.OneHot(Tensor.Zeros(2), 5));
    }
}

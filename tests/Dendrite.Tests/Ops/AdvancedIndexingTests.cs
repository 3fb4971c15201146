using static Dendrite.Tests.Gpu.GpuParity;

namespace Dendrite.Tests.Ops;

/// <summary>Integer-array (advanced) indexing through the tensor indexer, and Tensor.Meshgrid.</summary>
public sealed class AdvancedIndexingTests
{
    private static Tensor Grid(params int[] shape) => Tensor.Arange(0, shape.Aggregate(1, (a, b) => a * b), 1, DType.Float64).Reshape(shape);

    [Fact]
    public void TheCourseWayPicksOneProbabilityPerRow()
    {
        // y_hat[[0, 1], y] with y = [0, 2]: the predicted probability of each true class.
        var yHat = Tensor.FromArray(new double[] { 0.1, 0.3, 0.6, 0.3, 0.2, 0.5 }, 2, 3);
        var y = Tensor.FromArray(new long[] { 0, 2 });
        Assert.Equal(new double[] { 0.1, 0.5 }, yHat[new long[] { 0, 1 }, y].ToArray<double>());
        Assert.Equal(new double[] { 0.1, 0.5 }, yHat[new[] { 0, 1 }, y].ToArray<double>());
        Assert.Equal(new double[] { 0.1, 0.5 }, yHat[Tensor.Arange(2), y].ToArray<double>());
    }

    [Fact]
    public void ArraysMixWithIntegersAndRanges()
    {
        var x = Grid(3, 4);
        Assert.Equal(new double[] { 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11 }, x[new[] { 2, 0, 2 }].ToArray<double>());
        var cols = x[.., new[] { 3, 0 }];
        Assert.Equal(new[] { 3, 2 }, cols.Shape);
        Assert.Equal(new double[] { 3, 0, 7, 4, 11, 8 }, cols.ToArray<double>());
        Assert.Equal(new double[] { 7, 4 }, x[1, new[] { 3, 0 }].ToArray<double>());
        Assert.Equal(new double[] { 9, 10, 5, 6 }, x[new[] { 2, 1 }, 1..3].ToArray<double>());
        Assert.Equal(new double[] { 11, 0 }, x[new[] { -1, 0 }, new[] { -1, -4 }].ToArray<double>());   // negative entries count from the end
        // A 0-d index removes its dim; a 2-D index array shapes the result.
        Assert.Equal(new[] { 3 }, x[.., Tensor.Scalar(2, DType.Int64)].Shape);
        var picked = x[Tensor.FromArray(new long[] { 0, 1, 1, 2 }, 2, 2), 0];
        Assert.Equal(new[] { 2, 2 }, picked.Shape);
        Assert.Equal(new double[] { 0, 4, 4, 8 }, picked.ToArray<double>());
    }

    [Fact]
    public void AdjacentArraysStayInPlaceAndSeparatedOnesGoFirst()
    {
        var z = Grid(2, 3, 4, 5);
        Assert.Equal(new[] { 2, 2, 5 }, z[.., new[] { 0, 1 }, new[] { 1, 2 }].Shape);
        Assert.Equal(new[] { 2, 3 }, z[new[] { 0, 1 }, .., 0, new[] { 0, 1 }].Shape);     // an integer selects first
        Assert.Equal(new[] { 2, 3, 4 }, z[new[] { 0, 1 }, .., .., new[] { 0, 1 }].Shape);
        var b = z[.., Tensor.FromArray(new long[] { 0, 2 }, 2, 1), new[] { 1, 3, 0 }];      // broadcast to [2, 3]
        Assert.Equal(new[] { 2, 2, 3, 5 }, b.Shape);
        Assert.Equal(z[1, 2, 3].ToArray<double>(), b[1, 1, 1].ToArray<double>());
    }

    [Fact]
    public void GradientsAccumulateOnRepeatedEntries()
    {
        var x = Grid(2, 3);
        x.RequiresGrad = true;
        x[new[] { 0, 1, 0, 0 }, new[] { 2, 2, 2, 0 }].Sum().Backward();
        Assert.Equal(new double[] { 1, 0, 2, 0, 0, 1 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void BadIndicesAreClearErrors()
    {
        var x = Grid(2, 3);
        var e = Assert.Throws<IndexOutOfRangeException>(() => x[.., new[] { 0, 3 }]);
        Assert.Contains("index 3 is out of bounds for dimension 1 with size 3", e.Message);
        Assert.Contains("position 1", e.Message);
        var n = Assert.Throws<IndexOutOfRangeException>(() => x[new long[] { 1, -3 }]);
        Assert.Contains("index -3 is out of bounds for dimension 0 with size 2", n.Message);
        var f = Assert.Throws<ArgumentException>(() => x[Tensor.FromArray(new float[] { 0, 1 })]);
        Assert.Contains("Int64", f.Message);
        Assert.Contains("Float32", f.Message);
        var m = Assert.Throws<ArgumentException>(() => x[Tensor.FromArray(new[] { true, false })]);
        Assert.Contains("boolean masks", m.Message);
        var s = Assert.Throws<ArgumentException>(() => x[new[] { 0, 1 }, new[] { 0, 1, 2 }]);
        Assert.Contains("cannot be broadcast", s.Message);
        Assert.Throws<IndexOutOfRangeException>(() => x[new[] { 0 }, new[] { 0 }, new[] { 0 }]);
        Assert.Throws<ArgumentNullException>(() => x[(Tensor)null!]);
    }

    [Fact]
    public void MeshgridBuildsCoordinateGrids()
    {
        var a = Tensor.FromArray(new long[] { 1, 2, 3 });
        var b = Tensor.FromArray(new long[] { 4, 5 });
        var ij = Tensor.Meshgrid([a, b]);
        Assert.Equal(new[] { 3, 2 }, ij[0].Shape);
        Assert.Equal(new long[] { 1, 1, 2, 2, 3, 3 }, ij[0].ToArray<long>());
        Assert.Equal(new long[] { 4, 5, 4, 5, 4, 5 }, ij[1].ToArray<long>());
        var xy = Tensor.Meshgrid([a, b], "xy");
        Assert.Equal(new[] { 2, 3 }, xy[0].Shape);
        Assert.Equal(new long[] { 1, 2, 3, 1, 2, 3 }, xy[0].ToArray<long>());
        Assert.Equal(new long[] { 4, 4, 4, 5, 5, 5 }, xy[1].ToArray<long>());
        var three = Tensor.Meshgrid([a, b, Tensor.Scalar(7, DType.Int64)], "xy");
        Assert.Equal(new[] { 2, 3, 1 }, three[2].Shape);
        Assert.Equal(new[] { 3 }, Tensor.Meshgrid([a])[0].Shape);
    }

    [Fact]
    public void MeshgridIsDifferentiableAndChecksItsInputs()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3 });
        x.RequiresGrad = true;
        var y = Tensor.FromArray(new double[] { -1, 1 });
        var grid = Tensor.Meshgrid([x, y], "xy");
        (grid[0] * grid[1]).Sum().Backward();
        Assert.Equal(new double[] { 0, 0, 0 }, x.Grad!.ToArray<double>());   // Σ over y of y = 0
        Assert.Contains("indexing", Assert.Throws<ArgumentException>(() => Tensor.Meshgrid([x], "ji")).Message);
        Assert.Contains("1-D", Assert.Throws<ArgumentException>(() => Tensor.Meshgrid([Tensor.Zeros(2, 2)])).Message);
        Assert.Contains("dtype", Assert.Throws<ArgumentException>(() => Tensor.Meshgrid([x, Tensor.Zeros(2)])).Message);
        Assert.Throws<ArgumentException>(() => Tensor.Meshgrid([]));
    }

    [Fact]
    [Trait("Category", "Gpu")]
    public void IndexingAndMeshgridMatchTheCpuOnTheGpuBackend()
    {
        var x = Random([3, 4, 5], DType.Float32, 40);
        Check(t => t[new[] { 2, 0, 2 }, .., new[] { 4, 4, -1 }], x);
        Check(t => t[.., Tensor.FromArray(new long[] { 3, 0, 3, 1 }, 2, 2).To(t.Device)], x);
        Check(t => t[1, new[] { 0, 3 }, 2..4], x);
        Check(ts => Tensor.Meshgrid([ts[0], ts[1]], "xy")[0] * Tensor.Meshgrid([ts[0], ts[1]])[1].T, [Random([4], DType.Float64, 41), Random([3], DType.Float64, 42)]);
        var e = Assert.Throws<IndexOutOfRangeException>(() => x.To(D)[new[] { 0, 3 }]);
        Assert.Contains("index 3 is out of bounds for dimension 0 with size 3", e.Message);
    }
}

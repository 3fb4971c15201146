using Dendrite.Autograd;

namespace Dendrite.Tests.Core;

public sealed class ViewTests
{
    private static Tensor Grid(params int[] shape) => Tensor.Arange(0, ShapeNumel(shape), 1, DType.Float64).Reshape(shape);

    private static int ShapeNumel(int[] shape)
    {
        int n = 1;
        foreach (int s in shape)
            n *= s;
        return n;
    }

    [Fact]
    public void WriteThroughNarrowIsSeenByBase()
    {
        var x = Tensor.Zeros(3, 4);
        x.Narrow(1, 1, 2).Fill(7);
        Assert.Equal(new float[] { 0, 7, 7, 0, 0, 7, 7, 0, 0, 7, 7, 0 }, x.ToArray<float>());
    }

    [Fact]
    public void WriteThroughViewOfGradLeafUnderNoGradIsSeenByBase()
    {
        var w = Tensor.Zeros([2, 3], DType.Float64, requiresGrad: true);
        using (Autograd.Autograd.NoGrad())
        {
            w.Select(0, 1).Fill(2);
            w[.., 0].Fill(-1);
        }
        Assert.Equal(new double[] { -1, 0, 0, -1, 2, 2 }, w.ToArray<double>());
        Assert.True(w.RequiresGrad);
    }

    [Fact]
    public void WriteThroughTransposeAndReshapeIsSeenByBase()
    {
        var x = Grid(2, 3);
        x.T.Narrow(0, 2, 1).Fill(-5);       // column 2 of x
        x.Reshape(6).Narrow(0, 0, 1).Fill(9); // element [0, 0]
        Assert.Equal(new double[] { 9, 1, -5, 3, 4, -5 }, x.ToArray<double>());
    }

    [Fact]
    public void TransposeSwapsStridesWithoutCopying()
    {
        var x = Grid(2, 3, 4);
        Assert.Equal(new[] { 12, 4, 1 }, x.Strides);
        var t = x.Transpose(0, 2);
        Assert.Equal(new[] { 4, 3, 2 }, t.Shape);
        Assert.Equal(new[] { 1, 4, 12 }, t.Strides);
        Assert.False(t.IsContiguous);
        Assert.Equal(x.GetFlat(1 * 12 + 2 * 4 + 3), t.GetFlat(3 * 6 + 2 * 2 + 1)); // t[3, 2, 1] == x[1, 2, 3]
    }

    [Fact]
    public void PermuteReordersShapeAndStrides()
    {
        var x = Grid(2, 3, 4);
        var p = x.Permute(2, 0, 1);
        Assert.Equal(new[] { 4, 2, 3 }, p.Shape);
        Assert.Equal(new[] { 1, 12, 4 }, p.Strides);
        var dense = p.Contiguous();
        Assert.True(dense.IsContiguous);
        // dense[k, i, j] == x[i, j, k]
        Assert.Equal(x.GetFlat(1 * 12 + 2 * 4 + 3), dense.GetFlat(3 * 6 + 1 * 3 + 2));
    }

    [Fact]
    public void NarrowOffsetsIntoSharedStorage()
    {
        var x = Grid(4, 5);
        var n = x.Narrow(0, 1, 2).Narrow(1, 2, 3);
        Assert.Equal(1 * 5 + 2, n.StorageOffset);
        Assert.Equal(new[] { 5, 1 }, n.Strides);
        Assert.Equal(new double[] { 7, 8, 9, 12, 13, 14 }, n.ToArray<double>());
    }

    [Fact]
    public void ContiguousCopiesOnlyWhenNeeded()
    {
        var x = Grid(3, 4);
        Assert.Same(x, x.Contiguous());
        var t = x.T;
        var c = t.Contiguous();
        Assert.NotSame(t, c);
        Assert.True(c.IsContiguous);
        Assert.Equal(t.ToArray<double>(), c.ToArray<double>());
        c.Fill(0);
        Assert.Equal(11.0, x.GetFlat(11)); // the copy does not alias the base
    }

    [Fact]
    public void ReshapeIsAViewOfContiguousDataAndACopyOtherwise()
    {
        var x = Grid(2, 3);
        var r = x.Reshape(3, 2);
        r.Narrow(0, 0, 1).Fill(100);
        Assert.Equal(100.0, x.GetFlat(1));

        var copied = x.T.Reshape(6);
        copied.Fill(-1);
        Assert.Equal(100.0, x.GetFlat(1));
        Assert.Equal(new double[] { 100, 3, 100, 4, 2, 5 }, x.T.Reshape(6).ToArray<double>());
    }

    [Fact]
    public void ViewOfNonContiguousTensorThrows()
    {
        var x = Grid(2, 3);
        var e = Assert.Throws<InvalidOperationException>(() => x.T.View(6));
        Assert.Contains("not contiguous", e.Message);
        Assert.Contains("Contiguous()", e.Message);
    }

    [Fact]
    public void ExpandUsesZeroStrides()
    {
        var x = Grid(3, 1);
        var e = x.Expand(3, 4);
        Assert.Equal(new[] { 1, 0 }, e.Strides);
        Assert.Equal(new double[] { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2 }, e.ToArray<double>());
    }

    [Fact]
    public void IndexerSelectsAndNarrows()
    {
        var x = Grid(3, 4);
        Assert.Equal(new double[] { 4, 5, 6, 7 }, x[1].ToArray<double>());
        Assert.Equal(new double[] { 2, 6, 10 }, x[.., 2].ToArray<double>());
        Assert.Equal(new double[] { 7, 11 }, x[1..3, ^1].ToArray<double>());
        Assert.Equal(11.0, x[-1, -1].Item());
    }
}

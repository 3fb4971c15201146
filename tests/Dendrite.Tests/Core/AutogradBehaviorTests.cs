using Dendrite.Autograd;

namespace Dendrite.Tests.Core;

public sealed class AutogradBehaviorTests
{
    private static Tensor Leaf(params double[] values)
    {
        var t = Tensor.FromArray(values);
        t.RequiresGrad = true;
        return t;
    }

    [Fact]
    public void NoGradRecordsNothingAndRestoresTheMode()
    {
        var x = Leaf(1, 2, 3);
        Tensor y;
        using (Autograd.Autograd.NoGrad())
        {
            Assert.False(Autograd.Autograd.IsGradEnabled);
            y = (x * 2.0).Exp().Sum();
            using (Autograd.Autograd.EnableGrad())
                Assert.True((x * 2.0).RequiresGrad);
        }
        Assert.True(Autograd.Autograd.IsGradEnabled);
        Assert.Null(y.GradFn);
        Assert.False(y.RequiresGrad);
        Assert.True((x * 2.0).GradFn is not null);
    }

    [Fact]
    public void OpsRecordTheirBackwardNames()
    {
        var x = Leaf(1, 2, 3);
        Assert.Equal("MulBackward", (x * 2.0).GradFn!.Name);
        Assert.Equal("SoftmaxBackward", x.Softmax(0).GradFn!.Name);
        Assert.Equal("SumBackward", x.Sum().GradFn!.Name);
        Assert.True(x.IsLeaf);
        Assert.False(x.Exp().IsLeaf);
    }

    [Fact]
    public void LeafHookReadsAndReplacesTheGradient()
    {
        var x = Leaf(1, 2);
        Tensor? seen = null;
        x.RegisterHook(g => { seen = g.Clone(); return null; });
        x.RegisterHook(g => g * 10.0);
        (x * x).Sum().Backward();
        Assert.Equal(new double[] { 2, 4 }, seen!.ToArray<double>());
        Assert.Equal(new double[] { 20, 40 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void NonLeafHookReadsAndReplacesTheGradient()
    {
        var x = Leaf(1, 2);
        var y = x * 3.0;
        Tensor? seen = null;
        y.RegisterHook(g => { seen = g; return g * -1.0; });
        (y * y).Sum().Backward();
        Assert.Equal(new double[] { 6, 12 }, seen!.ToArray<double>());      // d(y²)/dy = 2y
        Assert.Equal(new double[] { -18, -36 }, x.Grad!.ToArray<double>()); // replaced gradient times dy/dx = 3
    }

    [Fact]
    public void RetainGradKeepsANonLeafGradient()
    {
        var x = Leaf(1, 2);
        var y = x.Exp();
        y.RetainGrad();
        (y * 2.0).Sum().Backward();
        Assert.Equal(new double[] { 2, 2 }, y.Grad!.ToArray<double>());
    }

    [Fact]
    public void SecondBackwardWithoutRetainGraphThrows()
    {
        var x = Leaf(1, 2);
        var loss = (x * x).Sum();
        loss.Backward();
        var e = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("retainGraph", e.Message);
    }

    [Fact]
    public void RetainGraphAllowsASecondBackwardThatAccumulates()
    {
        var x = Leaf(1, 2);
        var loss = (x * x).Sum();
        loss.Backward(retainGraph: true);
        Assert.Equal(new double[] { 2, 4 }, x.Grad!.ToArray<double>());
        loss.Backward();
        Assert.Equal(new double[] { 4, 8 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void InPlaceOnALeafThatRequiresGradThrows()
    {
        var w = Leaf(1, 2);
        var e = Assert.Throws<InvalidOperationException>(() => w.AddInPlace(1.0));
        Assert.Contains("NoGrad", e.Message);
        Assert.Throws<InvalidOperationException>(() => w.Fill(0));
        using (Autograd.Autograd.NoGrad())
            w.AddInPlace(1.0);
        Assert.Equal(new double[] { 2, 3 }, w.ToArray<double>());
    }

    [Fact]
    public void ModifyingASavedTensorInPlaceIsDetectedAtBackward()
    {
        var x = Leaf(1, 2);
        var a = Tensor.FromArray(new double[] { 3, 4 });
        var y = (x * a).Sum(); // Mul saves a
        a.AddInPlace(1.0);
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("modified by an in-place operation", e.Message);
    }

    [Fact]
    public void NonScalarBackwardWithoutGradientThrowsNamingTheShape()
    {
        var x = Tensor.Ones([2, 3], DType.Float64, requiresGrad: true);
        var e = Assert.Throws<InvalidOperationException>(() => (x * 2.0).Backward());
        Assert.Contains("[2, 3]", e.Message);
        (x * 2.0).Backward(Tensor.Ones([2, 3], DType.Float64));
        Assert.Equal(Enumerable.Repeat(2.0, 6), x.Grad!.ToArray<double>());
    }

    [Fact]
    public void RequiresGradOnAnIntegerTensorThrows()
    {
        var labels = Tensor.FromArray(new long[] { 1, 2 });
        var e = Assert.Throws<InvalidOperationException>(() => labels.RequiresGrad = true);
        Assert.Contains("Int64", e.Message);
        Assert.Throws<InvalidOperationException>(() => Tensor.FromArray(new[] { true }).RequiresGrad = true);
    }

    [Fact]
    public void GradientsReachLeavesThroughSharedSubgraphs()
    {
        var x = Leaf(2);
        var y = x * x;           // used twice below
        var z = (y * y + y).Sum(); // z = x⁴ + x², dz/dx = 4x³ + 2x = 36
        z.Backward();
        Assert.Equal(36.0, x.Grad!.Item());
    }

    [Fact]
    public void AutogradGradDoesNotTouchLeafGrads()
    {
        var x = Leaf(1, 3);
        var grads = Autograd.Autograd.Grad((x * x).Sum(), [x]);
        Assert.Equal(new double[] { 2, 6 }, grads[0]!.ToArray<double>());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void DetachCutsTheGraphButSharesStorage()
    {
        var x = Leaf(1, 2);
        var d = x.Detach();
        Assert.False(d.RequiresGrad);
        using (Autograd.Autograd.NoGrad())
            x.Narrow(0, 0, 1).Fill(5);
        Assert.Equal(5.0, d.GetFlat(0));
    }

    [Fact]
    public void ABackwardInsideAHookAndAFailedBackwardLeaveLaterPassesCorrect()
    {
        // The engine reuses its scratch state per thread: a nested pass and a pass that throws must not disturb it.
        var a = Tensor.FromArray(new double[] { 1, 2, 3 });
        a.RequiresGrad = true;
        var b = Tensor.FromArray(new double[] { 4, 5 });
        b.RequiresGrad = true;
        double innerGrad = 0;
        var y = a * 2.0;
        var inner = (b * b).Sum(); // built outside: hooks run with grad mode off
        y.RegisterHook(g =>
        {
            inner.Backward();
            innerGrad = b.Grad!.Sum().Item();
            return null;
        });
        (y * y).Sum().Backward();
        Assert.Equal(18.0, innerGrad); // d/db Σb² = 2b = (8, 10)
        Assert.Equal(new double[] { 8, 16, 24 }, a.Grad!.ToArray<double>()); // d/da Σ(2a)² = 8a

        var z = (a * 3.0).Sum();
        z.Backward();
        Assert.Throws<InvalidOperationException>(() => z.Backward()); // graph already freed
        a.Grad = null;
        (a * a).Sum().Backward();
        Assert.Equal(new double[] { 2, 4, 6 }, a.Grad!.ToArray<double>());
    }
}

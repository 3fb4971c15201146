using Dendrite.NN;

namespace Dendrite.Tests.Gradients;

/// <summary>
/// A Linear weight that already has a gradient and is reached by one edge of the graph gets its new gradient added
/// in place by the GEMM (no separate buffer). These tests compare that path with the one that builds the gradient
/// first (Autograd.Grad, which never touches .Grad) across repeated backward passes, weights used twice, views as
/// gradients, and hooks.
/// </summary>
public sealed class InPlaceLeafAccumulationTests
{
    private static Tensor Leaf(Generator g, DType dtype, params int[] shape)
    {
        var t = Tensor.RandN(shape, g, dtype);
        t.RequiresGrad = true;
        return t;
    }

    private static double[] Values(Tensor t) => t.To(DType.Float64).ToArray<double>();

    private static void AssertClose(double[] expected, double[] actual, double tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Theory]
    [InlineData(DType.Float64, 1e-12)]
    [InlineData(DType.Float32, 1e-5)]
    public void RepeatedBackwardSumsIntoTheExistingGradient(DType dtype, double tol)
    {
        var g = new Generator(21);
        var x = Tensor.RandN([37, 50], g, dtype);
        var w = Leaf(g, dtype, 30, 50);
        var b = Leaf(g, dtype, 30);
        Tensor Loss() => x.Linear(w, b).Tanh().Sum();
        var once = Dendrite.Autograd.Autograd.Grad(Loss(), [w, b]);
        double[] single = Values(once[0]!);

        Loss().Backward();                 // no gradient yet: the engine stores the first one
        var gradTensor = w.Grad!;
        AssertClose(single, Values(w.Grad!), tol);
        Loss().Backward();                 // the second pass adds in place
        Loss().Backward();
        Assert.Same(gradTensor, w.Grad);   // the same tensor, accumulated into, as PyTorch does
        AssertClose(single.Select(v => 3 * v).ToArray(), Values(w.Grad!), tol);
        AssertClose(Values(once[1]!).Select(v => 3 * v).ToArray(), Values(b.Grad!), tol);
    }

    [Fact]
    public void ZeroedGradientGivesExactlyTheFreshGradient()
    {
        var g = new Generator(22);
        var model = new Sequential(new Linear(64, 48, generator: g), new ReLU(), new Linear(48, 5, generator: g));
        var x = Tensor.RandN([40, 64], g);
        Tensor Loss() => model.Call(x).Square().Mean();
        var expected = Dendrite.Autograd.Autograd.Grad(Loss(), [.. model.Parameters()]);
        Loss().Backward();
        for (int round = 0; round < 2; round++)
        {
            model.ZeroGrad();
            Loss().Backward();
            var ps = model.Parameters().ToArray();
            for (int i = 0; i < ps.Length; i++)
                Assert.Equal(expected[i]!.ToArray<float>(), ps[i].Grad!.ToArray<float>());
        }
    }

    [Fact]
    public void WeightUsedTwiceGetsBothContributions()
    {
        var g = new Generator(23);
        var x = Tensor.RandN([9, 12], g, DType.Float64);
        var w = Leaf(g, DType.Float64, 12, 12);
        Tensor Loss() => x.Linear(w).Tanh().Linear(w).Sum();
        double[] expected = Values(Dendrite.Autograd.Autograd.Grad(Loss(), [w])[0]!);
        w.Grad = Tensor.Zeros([12, 12], DType.Float64);
        Loss().Backward();
        AssertClose(expected, Values(w.Grad!), 1e-12);
    }

    [Fact]
    public void NonContiguousGradientIsStillAccumulatedCorrectly()
    {
        var g = new Generator(24);
        var x = Tensor.RandN([6, 8], g, DType.Float64);
        var w = Leaf(g, DType.Float64, 5, 8);
        Tensor Loss() => x.Linear(w).Square().Sum();
        double[] expected = Values(Dendrite.Autograd.Autograd.Grad(Loss(), [w])[0]!);
        var start = Tensor.RandN([8, 5], g, DType.Float64);
        w.Grad = start.Transpose(0, 1);   // a view: not dense, so the engine adds a separate buffer
        double[] before = Values(w.Grad!);
        Loss().Backward();
        AssertClose(before.Zip(expected, (a, e) => a + e).ToArray(), Values(w.Grad!), 1e-12);
    }

    [Fact]
    public void HooksSeeTheAccumulatedGradientAndLeafHooksStillApply()
    {
        var g = new Generator(25);
        var x = Tensor.RandN([7, 10], g, DType.Float64);
        var w = Leaf(g, DType.Float64, 4, 10);
        Tensor Loss() => x.Linear(w).Sum();
        double[] single = Values(Dendrite.Autograd.Autograd.Grad(Loss(), [w])[0]!);
        w.Grad = Tensor.Ones([4, 10], DType.Float64);
        double[]? seen = null;
        int version = -1;
        w.RegisterPostAccumulateGradHook(t => { seen = Values(t.Grad!); version = t.Grad!.Storage.Version; });
        int before = w.Grad.Storage.Version;
        Loss().Backward();
        AssertClose(single.Select(v => v + 1).ToArray(), seen!, 1e-12);
        Assert.True(version > before, "an in-place accumulation bumps the gradient's version");

        // A leaf hook that doubles the gradient must see (and change) this pass's gradient alone.
        w.RegisterHook(gr => gr * 2);
        w.Grad = Tensor.Zeros([4, 10], DType.Float64);
        Loss().Backward();
        AssertClose(single.Select(v => 2 * v).ToArray(), Values(w.Grad!), 1e-12);
    }

    /// <summary>
    /// A gradient the engine gives a leaf belongs to that leaf alone: never shared with another leaf that got the same
    /// buffer in the graph, never handed out again by the gradient pool in later steps (set-to-none loops).
    /// </summary>
    [Fact]
    public void TakenGradientBuffersAreNeverShared()
    {
        var g = new Generator(26);
        var a = Leaf(g, DType.Float32, 64, 80);
        var b = Leaf(g, DType.Float32, 64, 80);
        // (a + b) passes one gradient buffer to both leaves.
        (a + b).Square().Sum().Backward();
        Assert.NotSame(a.Grad!.Storage, b.Grad!.Storage);
        float[] bBefore = b.Grad.ToArray<float>();
        a.Grad.AddInPlace(Tensor.OnesLike(a.Grad));
        Assert.Equal(bBefore, b.Grad.ToArray<float>());

        // Gradients kept from earlier steps are not reused for later ones (set-to-none loops).
        var x = Tensor.RandN([128, 64], g);
        var w = Leaf(g, DType.Float32, 96, 64);
        var kept = new List<(Tensor Grad, float[] Values)>();
        for (int step = 0; step < 4; step++)
        {
            w.Grad = null;
            x.Linear(w).Tanh().Square().Mean().Backward();
            kept.Add((w.Grad!, w.Grad!.ToArray<float>()));
            (x * (step + 1.0)).Linear(w).Sigmoid().Sum();   // more large buffers through the pool, no backward
        }
        foreach (var (grad, values) in kept)
            Assert.Equal(values, grad.ToArray<float>());
        Assert.Equal(kept.Count, kept.Select(k => k.Grad.Storage).Distinct().Count());
    }
}

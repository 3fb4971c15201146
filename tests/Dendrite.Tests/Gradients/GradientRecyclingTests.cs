using Dendrite.Backends.Cpu;
using Dendrite.NN;

namespace Dendrite.Tests.Gradients;

/// <summary>
/// The engine recycles the large gradient buffers it owns. These tests run graphs big enough to be pooled
/// (≥ 16 KB per buffer) through Backward (recycling) and Autograd.Grad (never recycles) and demand identical
/// gradients, and check that gradients user code can see (hooks, RetainGrad, .Grad) are never reused.
/// </summary>
[Collection(nameof(StoragePoolCollection))]
public sealed class GradientRecyclingTests
{
    private static Tensor Leaf(Generator g, params int[] shape)
    {
        var t = Tensor.RandN(shape, g, DType.Float64);
        t.RequiresGrad = true;
        return t;
    }

    // A graph where one gradient buffer reaches several inputs (Add), passes through views, and fans in.
    private static Tensor Graph(Tensor x, Tensor w, Tensor b)
    {
        var h = x.MatMul(w).Add(b);                 // [64, 96]
        var a = h.Tanh();
        var s = a + a.Sigmoid() + h;                // h and a fan out, gradients fan in
        var t = s.Reshape(96, 64).Transpose(0, 1);  // views
        return (t * t).Sum() + s.Mean(0).Sum();
    }

    [Fact]
    public void RecycledBackwardMatchesTheNonRecyclingPath()
    {
        var g = new Generator(7);
        var x = Leaf(g, 64, 80);
        var w = Leaf(g, 80, 96);
        var b = Leaf(g, 96);
        var expected = Dendrite.Autograd.Autograd.Grad(Graph(x, w, b), [x, w, b]);
        long returnsBefore = StoragePool.Returns;
        for (int round = 0; round < 3; round++)
        {
            foreach (var p in new[] { x, w, b })
                p.Grad = null;
            Graph(x, w, b).Backward();
            Assert.Equal(expected[0]!.ToArray<double>(), x.Grad!.ToArray<double>());
            Assert.Equal(expected[1]!.ToArray<double>(), w.Grad!.ToArray<double>());
            Assert.Equal(expected[2]!.ToArray<double>(), b.Grad!.ToArray<double>());
        }
        Assert.True(StoragePool.Returns > returnsBefore, "backward should have returned buffers to the pool");
    }

    [Fact]
    public void GradientsSeenByHooksOrRetainedAreNeverReused()
    {
        var g = new Generator(8);
        var x = Leaf(g, 64, 80);
        var w = Leaf(g, 80, 96);
        var b = Leaf(g, 96);
        var h = x.MatMul(w);
        Tensor? seen = null;
        h.RegisterHook(grad => { seen = grad; return null; });
        var a = h.Tanh();
        a.RetainGrad();
        (a * a).Add(b).Sum().Backward();
        var seenCopy = seen!.ToArray<double>();
        var retainedCopy = a.Grad!.ToArray<double>();
        var leafCopy = w.Grad!.ToArray<double>();

        // More backward passes of the same sizes would reuse any buffer wrongly recycled.
        for (int i = 0; i < 3; i++)
            Graph(x, w, b).Backward();

        Assert.Equal(seenCopy, seen.ToArray<double>());
        Assert.Equal(retainedCopy, a.Grad.ToArray<double>());
        Assert.NotEqual(leafCopy, w.Grad.ToArray<double>()); // w.Grad accumulated, but is its own buffer
    }

    [Fact]
    public void TrainingStepsReuseBuffersAndStayCorrect()
    {
        var model = new Sequential(new Linear(200, 128, generator: new Generator(1)), new ReLU(), new Linear(128, 10, generator: new Generator(2)));
        var x = Tensor.RandN([64, 200], new Generator(3));
        var y = Tensor.RandInt(0, 10, [64], new Generator(4));
        var loss = new CrossEntropyLoss();
        model.ZeroGrad();
        loss.Call(model.Call(x), y).Backward();
        var first = model.Parameters().Select(p => p.Grad!.ToArray<float>()).ToArray();
        for (int i = 0; i < 4; i++)
        {
            model.ZeroGrad();
            loss.Call(model.Call(x), y).Backward();
        }
        var last = model.Parameters().Select(p => p.Grad!.ToArray<float>()).ToArray();
        for (int i = 0; i < first.Length; i++)
            Assert.Equal(first[i], last[i]);
    }
}

/// <summary>The pool is process-wide: these tests run on their own, after the parallel ones.</summary>
[CollectionDefinition(nameof(StoragePoolCollection), DisableParallelization = true)]
public sealed class StoragePoolCollection;

[Collection(nameof(StoragePoolCollection))]
public sealed class RecyclingScopeTests
{
    [Fact]
    public void AutogradGradDoesNotDisableRecyclingForLaterBackwardPasses()
    {
        var x = Tensor.RandN([64, 80], new Generator(3), DType.Float64);
        x.RequiresGrad = true;
        Dendrite.Autograd.Autograd.Grad((x * x).Tanh().Sum(), [x]);   // never recycles
        Assert.False(StorageRecycling.Marking);
        long before = StoragePool.Returns;
        (x * x).Tanh().Sum().Backward();
        Assert.True(StoragePool.Returns > before);
    }
}

[Collection(nameof(StoragePoolCollection))]
public sealed class StoragePoolBucketTests
{
    private static float[] Recyclable(int length) => new float[length];

    [Fact]
    public void BuffersComeBackByExactTypeAndLengthAndTheBucketsStayBounded()
    {
        StoragePool.Clear();
        try
        {
            // 80 distinct sizes: the oldest buckets are dropped, their bytes no longer counted.
            const int first = 2048;
            for (int i = 0; i < 80; i++)
                StoragePool.Return(Recyclable(first + i), sizeof(float));
            long expected = 0;
            for (int i = 80 - 64; i < 80; i++)
                expected += (first + i) * 4L;
            Assert.Equal(expected, StoragePool.PooledBytes);
            Assert.Null(StoragePool.TryRent<float>(first));          // dropped with its bucket
            Assert.Null(StoragePool.TryRent<double>(first + 79));    // same length, other element type
            var back = StoragePool.TryRent<float>(first + 79);
            Assert.NotNull(back);
            Assert.Equal(first + 79, back!.Length);
            Assert.Null(StoragePool.TryRent<float>(first + 79));     // only one was pooled
            Assert.Equal(expected - (first + 79) * 4L, StoragePool.PooledBytes);
        }
        finally
        {
            StoragePool.Clear();
        }
    }
}

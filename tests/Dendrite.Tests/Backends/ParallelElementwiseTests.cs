namespace Dendrite.Tests.Backends;

/// <summary>Large elementwise ops split across threads must give exactly the single-threaded results.</summary>
public sealed class ParallelElementwiseTests
{
    private static float[] Run(int threads, Func<Tensor> op)
    {
        using var _ = new ThreadCountScope(threads);
        return op().ToArray<float>();
    }

    [Fact]
    public void SplitKernelsMatchTheSingleThreadedOnes()
    {
        var g = new Generator(11);
        var x = Tensor.RandN([300_007], g);        // past the split threshold, not a multiple of the chunk size
        var y = Tensor.RandN([300_007], g);
        var h = Tensor.RandN([300_007], g);
        h.RequiresGrad = true;
        Func<Tensor>[] ops =
        [
            () => x.Relu(),
            () => x.Sigmoid(),
            () => x + y,
            () => x * y,
            () =>
            {
                h.Grad = null;
                h.Relu().Backward(y);
                return h.Grad!;
            },
        ];
        foreach (var op in ops)
            Assert.Equal(Run(1, op), Run(2, op));
    }
}

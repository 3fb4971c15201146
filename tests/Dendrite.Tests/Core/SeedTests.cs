namespace Dendrite.Tests.Core;

/// <summary>Serial: these tests reseed the process-wide default generator.</summary>
[CollectionDefinition("DefaultGenerator", DisableParallelization = true)]
public sealed class DefaultGeneratorCollection;

[Collection("DefaultGenerator")]
public sealed class SeedTests
{
    [Fact]
    public void ManualSeedReproducesTheDefaultStream()
    {
        Tensor.ManualSeed(42);
        var a = Tensor.RandN(3, 4);
        var b = Tensor.Rand(5);
        Tensor.ManualSeed(42);
        Assert.Equal(a.ToArray<float>(), Tensor.RandN(3, 4).ToArray<float>());
        Assert.Equal(b.ToArray<float>(), Tensor.Rand(5).ToArray<float>());
    }

    [Fact]
    public void SameSeedSameTensorsDifferentSeedDifferentTensors()
    {
        var a = Tensor.RandN([4, 4], new Generator(7), DType.Float64);
        var b = Tensor.RandN([4, 4], new Generator(7), DType.Float64);
        var c = Tensor.RandN([4, 4], new Generator(8), DType.Float64);
        Assert.Equal(a.ToArray<double>(), b.ToArray<double>());
        Assert.NotEqual(a.ToArray<double>(), c.ToArray<double>());
    }

    [Fact]
    public void ExplicitGeneratorDoesNotConsumeTheDefault()
    {
        Tensor.ManualSeed(3);
        var before = Generator.Default.GetState();
        Tensor.Rand([10], new Generator(1));
        Tensor.RandInt(0, 5, [10], new Generator(1));
        Tensor.RandPerm(10, new Generator(1));
        Assert.Equal(before, Generator.Default.GetState());
    }

    [Fact]
    public void StateRoundTripsForCheckpoints()
    {
        var g = new Generator(11);
        Tensor.Rand([3], g);
        var state = g.GetState();
        var next = Tensor.RandN([6], g).ToArray<float>();
        g.SetState(state);
        Assert.Equal(next, Tensor.RandN([6], g).ToArray<float>());
    }

    [Fact]
    public void RandomValuesHaveTheRightRanges()
    {
        var g = new Generator(5);
        var u = Tensor.Rand([2000], g).ToArray<float>();
        Assert.All(u, v => Assert.InRange(v, 0f, 1f));
        var ints = Tensor.RandInt(-2, 3, [500], g).ToArray<long>();
        Assert.All(ints, v => Assert.InRange(v, -2L, 2L));
        var perm = Tensor.RandPerm(50, g).ToArray<long>();
        Array.Sort(perm);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), perm);
        var n = Tensor.RandN([20000], g, DType.Float64);
        Assert.InRange(n.Mean().Item(), -0.03, 0.03);
        Assert.InRange(n.Std().Item(), 0.97, 1.03);
    }
}

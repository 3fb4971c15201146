using Dendrite.Data;
using Dendrite.Distributed;

namespace Dendrite.Tests.Distributed;

public sealed class DistributedSamplerTests
{
    private static int[][] Shards(int n, int world, bool shuffle = true, ulong seed = 3, int epoch = 0, bool dropLast = false, bool evenShards = true) =>
        [.. Enumerable.Range(0, world).Select(r =>
        {
            var s = new DistributedSampler(n, r, world, shuffle, seed, dropLast, evenShards);
            s.SetEpoch(epoch);
            return s.Indices();
        })];

    [Theory]
    [InlineData(100, 2)]
    [InlineData(101, 2)]
    [InlineData(10, 3)]
    [InlineData(7, 4)]
    [InlineData(3, 5)]
    public void ShardsAreDisjointApartFromThePaddingAndCoverTheEpoch(int n, int world)
    {
        var shards = Shards(n, world);
        int perRank = (n + world - 1) / world;
        Assert.All(shards, s => Assert.Equal(perRank, s.Length));
        var all = shards.SelectMany(s => s).ToList();
        Assert.Equal(Enumerable.Range(0, n), all.Distinct().Order()); // every sample is in some shard
        Assert.Equal(perRank * world - n, all.Count - all.Distinct().Count()); // only the padding repeats samples
    }

    [Fact]
    public void PaddingRepeatsTheStartOfThePermutationAndRankRTakesEveryWorldthPosition()
    {
        // PyTorch: indices += indices[:padding]; shard = indices[rank:total:world].
        var perm = new Generator(3).Permutation(5);
        int[] padded = [.. perm, perm[0]];
        var shards = Shards(5, 2);
        Assert.Equal(new[] { padded[0], padded[2], padded[4] }, shards[0]);
        Assert.Equal(new[] { padded[1], padded[3], padded[5] }, shards[1]);
        // Padding longer than the data wraps around it.
        var tiny = Shards(2, 5, shuffle: false);
        Assert.Equal(new[] { 0, 1, 0, 1, 0 }, tiny.Select(s => s.Single()));
    }

    [Fact]
    public void EveryRankDrawsTheSameEpochPermutationAndSetEpochReshuffles()
    {
        var epoch0 = Shards(40, 2, epoch: 0);
        Assert.Equal(epoch0[0], Shards(40, 2, epoch: 0)[0]); // deterministic
        var epoch1 = Shards(40, 2, epoch: 1);
        Assert.NotEqual(epoch0[0], epoch1[0]);
        // Both ranks of one epoch interleave one permutation: new Generator(seed + epoch).Permutation(n).
        var perm = new Generator(3 + 1).Permutation(40);
        Assert.Equal(perm.Where((_, i) => i % 2 == 0), epoch1[0]);
        Assert.Equal(perm.Where((_, i) => i % 2 == 1), epoch1[1]);
        Assert.NotEqual(Shards(40, 2, seed: 4)[0], epoch0[0]);
    }

    [Fact]
    public void WithAGeneratorTheShardsInterleaveTheShuffledLoadersOwnOrder()
    {
        var data = new TensorDataset(Tensor.Arange(0, 30, 1, DType.Float32).Unsqueeze(1));
        var plain = new DataLoader(data, 30, shuffle: true, generator: new Generator(8));
        var g0 = new Generator(8);
        var g1 = new Generator(8);
        var r0 = new DataLoader(data, 15, generator: g0, sampler: new DistributedSampler(30, 0, 2, generator: g0));
        var r1 = new DataLoader(data, 15, generator: g1, sampler: new DistributedSampler(30, 1, 2, generator: g1));
        for (int epoch = 0; epoch < 2; epoch++) // the stream continues across epochs, as the loader's does
        {
            var order = plain.Single().Indices;
            Assert.Equal(order.Where((_, i) => i % 2 == 0), r0.Single().Indices);
            Assert.Equal(order.Where((_, i) => i % 2 == 1), r1.Single().Indices);
        }
        Assert.Throws<ArgumentException>(() => new DistributedSampler(30, 0, 2, shuffle: false, generator: new Generator(1)));
    }

    [Fact]
    public void DropLastCutsTheTailAndUnevenShardsCountEverySampleOnce()
    {
        var dropped = Shards(11, 3, shuffle: false, dropLast: true);
        Assert.Equal(new[] { new[] { 0, 3, 6 }, [1, 4, 7], [2, 5, 8] }, dropped);
        var uneven = Shards(11, 3, shuffle: false, evenShards: false);
        Assert.Equal(new[] { new[] { 0, 3, 6, 9 }, [1, 4, 7, 10], [2, 5, 8] }, uneven);
        Assert.Equal(4, new DistributedSampler(11, 1, 3, evenShards: false).Count);
        Assert.Equal(3, new DistributedSampler(11, 2, 3, evenShards: false).Count);
    }

    [Fact]
    public void TheRanksBatchesTogetherAreTheSingleProcessGlobalBatches()
    {
        // 2 ranks with batch 8 against 1 rank with batch 16: batch k of both ranks = global batch k as a set.
        var data = new TensorDataset(Tensor.Arange(0, 64, 1, DType.Float32).Unsqueeze(1));
        var global = new DataLoader(data, 16, sampler: new DistributedSampler(64, 0, 1, seed: 9)).Select(b => b.Indices.Order().ToArray()).ToList();
        var r0 = new DataLoader(data, 8, sampler: new DistributedSampler(64, 0, 2, seed: 9)).ToList();
        var r1 = new DataLoader(data, 8, sampler: new DistributedSampler(64, 1, 2, seed: 9)).ToList();
        Assert.Equal(4, global.Count);
        Assert.Equal(4, r0.Count);
        for (int k = 0; k < 4; k++)
            Assert.Equal(global[k], r0[k].Indices.Concat(r1[k].Indices).Order().ToArray());
        Assert.Equal(r0[1].Indices.Select(i => (float)i), r0[1].X.ToArray<float>()); // the batch holds the sampled rows
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(10, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(10, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(-1, 0, 1));
        Assert.Throws<ArgumentException>(() => new DistributedSampler(10, 0, 2, dropLast: true, evenShards: false));
        Assert.Throws<ArgumentException>(() => new DistributedSampler(2, 0, 3, dropLast: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(10, 0, 2).SetEpoch(-1));
        var data = new TensorDataset(Tensor.Zeros(4, 1));
        var e = Assert.Throws<ArgumentException>(() => new DataLoader(data, 2, shuffle: true, sampler: new DistributedSampler(4, 0, 1)));
        Assert.Contains("shuffle must be false when a sampler is given", e.Message);
        // A sampler over more samples than the dataset holds is caught when the epoch starts.
        var wrong = new DataLoader(data, 2, sampler: new DistributedSampler(9, 0, 1, shuffle: false));
        Assert.Contains("outside the dataset's 4 samples", Assert.Throws<InvalidOperationException>(() => wrong.ToList()).Message);
    }
}

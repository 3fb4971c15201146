using Dendrite.Data;

namespace Dendrite.Tests.Data;

public sealed class DataLoaderTests
{
    private static TensorDataset Numbers(int n)
    {
        var x = new float[n * 3];
        for (int i = 0; i < x.Length; i++)
            x[i] = i;
        var y = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        return new TensorDataset(Tensor.FromArray(x, n, 3), Tensor.FromArray(y, n));
    }

    private static List<long[]> Epoch(DataLoader loader) => loader.Select(b => b.Y.ToArray<long>()).ToList();

    [Fact]
    public void EverySampleAppearsOncePerEpochAndRowsStayAligned()
    {
        var loader = new DataLoader(Numbers(10), batchSize: 3, shuffle: true, generator: new Generator(1));
        Assert.Equal(4, loader.Count);
        foreach (var _ in Enumerable.Range(0, 3))
        {
            var seen = new List<long>();
            foreach (var (x, y) in loader)
            {
                var xv = x.ToArray<float>();
                var yv = y.ToArray<long>();
                for (int k = 0; k < yv.Length; k++)
                    Assert.Equal(new float[] { 3 * yv[k], 3 * yv[k] + 1, 3 * yv[k] + 2 }, xv[(3 * k)..(3 * k + 3)]);
                seen.AddRange(yv);
            }
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), seen.Order());
        }
    }

    [Fact]
    public void ShuffleDiffersBetweenEpochsAndRepeatsForTheSameSeed()
    {
        var a = new DataLoader(Numbers(50), batchSize: 8, shuffle: true, generator: new Generator(7));
        var b = new DataLoader(Numbers(50), batchSize: 8, shuffle: true, generator: new Generator(7));
        var a1 = Epoch(a).SelectMany(v => v).ToArray();
        var a2 = Epoch(a).SelectMany(v => v).ToArray();
        Assert.NotEqual(a1, a2);
        Assert.Equal(a1, Epoch(b).SelectMany(v => v).ToArray());
        Assert.Equal(a2, Epoch(b).SelectMany(v => v).ToArray());
        // The order is exactly the peers' batching: Generator.Permutation(N) per epoch, one continuing stream.
        var g = new Generator(7);
        Assert.Equal(g.Permutation(50).Select(i => (long)i), a1);
        Assert.Equal(g.Permutation(50).Select(i => (long)i), a2);
        var plain = new DataLoader(Numbers(5), batchSize: 2);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, Epoch(plain).SelectMany(v => v));
    }

    [Fact]
    public void DropLastSkipsThePartialBatch()
    {
        var keep = new DataLoader(Numbers(10), batchSize: 4);
        Assert.Equal(new[] { 4, 4, 2 }, keep.Select(b => b.Size));
        var drop = new DataLoader(Numbers(10), batchSize: 4, dropLast: true);
        Assert.Equal(2, drop.Count);
        Assert.Equal(8, drop.SampleCount);
        Assert.Equal(new[] { 4, 4 }, drop.Select(b => b.Size));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void PrefetchGivesTheSameBatchesAsNoPrefetch(int workers)
    {
        var plain = new DataLoader(Numbers(103), batchSize: 10, shuffle: true, generator: new Generator(3));
        var pre = new DataLoader(Numbers(103), batchSize: 10, shuffle: true, generator: new Generator(3), numWorkers: workers, prefetchFactor: 2);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var p = plain.Select(b => (b.X.ToArray<float>(), b.Y.ToArray<long>())).ToList();
            var q = pre.Select(b => (b.X.ToArray<float>(), b.Y.ToArray<long>())).ToList();
            Assert.Equal(p.Count, q.Count);
            for (int i = 0; i < p.Count; i++)
            {
                Assert.Equal(p[i].Item1, q[i].Item1);
                Assert.Equal(p[i].Item2, q[i].Item2);
            }
        }
    }

    [Fact]
    public void AbandonedEnumerationStopsWorkersAndNextEpochStillWorks()
    {
        var loader = new DataLoader(Numbers(100), batchSize: 5, numWorkers: 2, prefetchFactor: 1);
        using (var e = loader.GetEnumerator())
        {
            Assert.True(e.MoveNext());
            Assert.True(e.MoveNext());
        }
        foreach (var b in loader)
            if (b.Indices[0] == 10)
                break;
        Assert.Equal(20, loader.Count());
    }

    [Fact]
    public void WorkerExceptionsReachTheConsumer()
    {
        var ds = new ThrowingDataset();
        var loader = new DataLoader(ds, batchSize: 2, numWorkers: 2);
        var e = Assert.Throws<InvalidOperationException>(() => loader.ToList());
        Assert.Contains("sample 5", e.Message);
    }

    private sealed class ThrowingDataset : IDataset<Tensor[]>
    {
        public int Count => 10;

        public Tensor[] this[int index] => index == 5
            ? throw new InvalidOperationException("bad sample 5")
            : [Tensor.FromArray(new float[] { index })];
    }

    [Fact]
    public void CollateStacksSamplesWhenTheDatasetCannotGather()
    {
        var ds = new Subset<Tensor[]>(new ListDataset(), [4, 1, 2]);
        Assert.False(ds.CanGatherBatches);
        var loader = new DataLoader(ds, batchSize: 2);
        var batches = loader.ToList();
        Assert.Equal(new[] { 2, 2 }, batches[0].X.Shape);
        Assert.Equal(new float[] { 4, 40, 1, 10 }, batches[0].X.ToArray<float>());
        Assert.Equal(new float[] { 2, 20 }, batches[1].X.ToArray<float>());
        Assert.Equal(new[] { 0, 1 }, batches[0].Indices); // indices into the subset
    }

    private sealed class ListDataset : IDataset<Tensor[]>
    {
        public int Count => 5;

        public Tensor[] this[int index] => [Tensor.FromArray(new float[] { index, 10 * index })];
    }

    [Fact]
    public void SubsetSplitAndConcatGatherTheRightRows()
    {
        var ds = Numbers(10);
        var parts = DatasetSplit.RandomSplit(ds, [6, 4], new Generator(2));
        Assert.Equal(new[] { 6, 4 }, parts.Select(p => p.Count));
        var all = parts.SelectMany(p => p.Indices).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 10), all);
        var again = DatasetSplit.RandomSplit(ds, [6, 4], new Generator(2));
        Assert.Equal(parts[0].Indices, again[0].Indices);
        var byFraction = DatasetSplit.RandomSplit(ds, [0.55, 0.45], new Generator(2));
        Assert.Equal(new[] { 6, 4 }, byFraction.Select(p => p.Count));

        Assert.True(parts[1].CanGatherBatches);
        var b = parts[1].GetBatch([3, 0]);
        Assert.Equal(new long[] { parts[1].Indices[3], parts[1].Indices[0] }, b[1].ToArray<long>());

        var cat = new ConcatDataset<Tensor[]>(ds.Slice(0, 3), ds.Slice(7, 3));
        Assert.Equal(6, cat.Count);
        Assert.Equal(8L, cat[4][1].Item<long>());
        var cb = cat.GetBatch([5, 0, 3]);
        Assert.Equal(new long[] { 9, 0, 7 }, cb[1].ToArray<long>());
        Assert.Equal(new float[] { 27, 28, 29, 0, 1, 2, 21, 22, 23 }, cb[0].ToArray<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => cat[6]);
        Assert.Throws<ArgumentException>(() => DatasetSplit.RandomSplit(ds, [6, 5]));
    }

    [Fact]
    public void TensorDatasetRejectsMismatchedRows()
    {
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Zeros(3, 2), Tensor.Zeros(4)));
        Assert.Contains("[4]", e.Message);
    }
}

using Dendrite.Backends.Cpu;

namespace Dendrite.Tests.Backends;

public sealed class CpuParallelTests
{
    [Fact]
    public void RunsEveryIndexOnce()
    {
        using var restore = new ThreadCountScope(Threads.Count);
        foreach (int threads in new[] { 1, 2, 4 })
        {
            Threads.Count = threads;
            foreach (int count in new[] { 0, 1, 2, 3, 17, 1000 })
            {
                var hits = new int[count];
                CpuParallel.For(count, i => Interlocked.Increment(ref hits[i]));
                Assert.All(hits, h => Assert.Equal(1, h));
            }
        }
    }

    [Fact]
    public void BackToBackJobsNeverMixUp()
    {
        // Many tiny jobs in a row: a helper arriving late for one job must not run (or skip) a
        // chunk of the next one.
        using var threads = new ThreadCountScope(3);
        var hits = new int[8];
        for (int job = 0; job < 20000; job++)
        {
            int count = 1 + job % 8;
            Array.Clear(hits);
            var body = new CountingBody(hits, job);
            CpuParallel.For(count, in body);
            for (int i = 0; i < 8; i++)
                Assert.Equal(i < count ? job : 0, hits[i]);
        }
    }

    private readonly struct CountingBody(int[] hits, int job) : IParallelBody
    {
        public void Invoke(int index) => Interlocked.Add(ref hits[index], job);
    }

    [Fact]
    public void NestedCallsRunInline()
    {
        using var threads = new ThreadCountScope(2);
        var hits = new int[4 * 5];
        CpuParallel.For(4, i => CpuParallel.For(5, j => Interlocked.Increment(ref hits[i * 5 + j])));
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void PropagatesExceptions()
    {
        using var threads = new ThreadCountScope(2);
        var e = Assert.Throws<InvalidOperationException>(() =>
            CpuParallel.For(8, i => { if (i == 5) throw new InvalidOperationException("boom"); }));
        Assert.Equal("boom", e.Message);
        // The pool still works afterwards.
        int sum = 0;
        CpuParallel.For(10, i => Interlocked.Add(ref sum, i));
        Assert.Equal(45, sum);
    }
}

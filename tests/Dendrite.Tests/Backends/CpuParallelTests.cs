using Dendrite.Backends.Cpu;

namespace Dendrite.Tests.Backends;

public sealed class CpuParallelTests
{
    [Fact]
    public void RunsEveryIndexOnce()
    {
        int saved = Threads.Count;
        try
        {
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
        finally
        {
            Threads.Count = saved;
        }
    }

    [Fact]
    public void NestedCallsRunInline()
    {
        int saved = Threads.Count;
        try
        {
            Threads.Count = 2;
            var hits = new int[4 * 5];
            CpuParallel.For(4, i => CpuParallel.For(5, j => Interlocked.Increment(ref hits[i * 5 + j])));
            Assert.All(hits, h => Assert.Equal(1, h));
        }
        finally
        {
            Threads.Count = saved;
        }
    }

    [Fact]
    public void PropagatesExceptions()
    {
        int saved = Threads.Count;
        try
        {
            Threads.Count = 2;
            var e = Assert.Throws<InvalidOperationException>(() =>
                CpuParallel.For(8, i => { if (i == 5) throw new InvalidOperationException("boom"); }));
            Assert.Equal("boom", e.Message);
            // The pool still works afterwards.
            int sum = 0;
            CpuParallel.For(10, i => Interlocked.Add(ref sum, i));
            Assert.Equal(45, sum);
        }
        finally
        {
            Threads.Count = saved;
        }
    }
}

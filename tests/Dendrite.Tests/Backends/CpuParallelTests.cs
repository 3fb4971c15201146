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

public sealed class CpuParallelPolicyTests
{
    [Fact]
    public void SpinBudgetStartsLongAndShrinksWhenJobsComeRarely()
    {
        var budget = new SpinBudget(min: 2, max: 300);
        Assert.Equal(300, budget.Current);
        budget.ArrivedAfterBlocking(idle: 10_000);
        Assert.Equal(150, budget.Current);
        for (int i = 0; i < 20; i++)
            budget.ArrivedAfterBlocking(idle: 10_000);
        Assert.Equal(2, budget.Current);
    }

    [Fact]
    public void SpinBudgetGrowsToCoverGapsItMissed()
    {
        var budget = new SpinBudget(min: 2, max: 300);
        budget.Preempted();
        Assert.Equal(2, budget.Current);
        // Blocked, but the job came 40 later: a spin of 60 would have caught it.
        budget.ArrivedAfterBlocking(idle: 40);
        Assert.Equal(60, budget.Current);
        // Caught early in the spin: no change; late in the spin: doubled, up to the maximum.
        budget.ArrivedWhileSpinning(spun: 10);
        Assert.Equal(60, budget.Current);
        budget.ArrivedWhileSpinning(spun: 50);
        Assert.Equal(120, budget.Current);
        budget.ArrivedAfterBlocking(idle: 290);
        Assert.Equal(300, budget.Current);
    }

    [Fact]
    public void HelperPauseGrowsWhileStallsKeepComingAndResetsAfterAQuietSpell()
    {
        var pause = new HelperPause(min: 10, max: 45);
        Assert.False(pause.Paused(0));
        pause.Stalled(now: 100);
        Assert.Equal(10, pause.Length);
        Assert.True(pause.Paused(109));
        Assert.False(pause.Paused(110));
        pause.Stalled(now: 150);
        Assert.Equal(20, pause.Length);
        pause.Stalled(now: 200);
        Assert.Equal(40, pause.Length);
        pause.Stalled(now: 250);
        Assert.Equal(45, pause.Length);
        Assert.True(pause.Paused(294));
        // Long after the last stall (more than Recent pauses): back to the minimum.
        pause.Stalled(now: 250 + HelperPause.Recent * 45 + 1);
        Assert.Equal(10, pause.Length);
    }

    [Fact]
    public void AStallIsAWaitLongerThanTwoOwnChunksPlusSlack()
    {
        Assert.False(HelperPause.IsStall(ownChunks: 0, ownTime: 0, wait: 1000, slack: 5));
        Assert.False(HelperPause.IsStall(ownChunks: 4, ownTime: 400, wait: 205, slack: 5));
        Assert.True(HelperPause.IsStall(ownChunks: 4, ownTime: 400, wait: 206, slack: 5));
    }

    [Fact]
    public void JobsStillRunEveryChunkWhileTheHelpersArePaused()
    {
        // Helpers that stall the caller (one chunk sleeps while the caller has nothing left) make the pool pause
        // them; every chunk still runs exactly once, before, during and after the pause.
        using var threads = new ThreadCountScope(2);
        for (int job = 0; job < 50; job++)
        {
            var hits = new int[6];
            CpuParallel.For(6, i =>
            {
                if (job % 10 == 0 && i == 5)
                    Thread.Sleep(2);
                Interlocked.Increment(ref hits[i]);
            });
            Assert.All(hits, h => Assert.Equal(1, h));
        }
    }
}

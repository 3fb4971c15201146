using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// A work item for <see cref="CpuParallel.For{TBody}(int, in TBody)"/>: a struct whose
/// <see cref="Invoke"/> runs one chunk. Using a struct (instead of a lambda) avoids the
/// closure allocation and lets the JIT inline the body into the dispatch loop.
/// </summary>
internal interface IParallelBody
{
    /// <summary>Runs chunk <paramref name="index"/> (0 ≤ index &lt; count).</summary>
    void Invoke(int index);
}

/// <summary>
/// A low-overhead parallel-for over chunks [0, count) on up to <see cref="Threads.Count"/> threads.
/// </summary>
/// <remarks>
/// <para>The calling thread always takes part; <c>Threads.Count - 1</c> background workers are
/// created lazily. Chunks are claimed one at a time (compare-exchange), so uneven chunks, or a
/// helper whose core is busy with another process, balance themselves; the caller waits only for
/// chunks another thread has actually started.</para>
/// <para>The pool adapts to a machine it shares. After a job, a worker spins (offering its core to other
/// threads every few microseconds) for up to <see cref="MaxSpinMicroseconds"/> µs before it blocks, so
/// back-to-back calls (a training loop) do not pay a kernel wake-up; <see cref="SpinBudget"/> shortens the spin
/// when jobs come rarely and drops it to a couple of microseconds when the worker finds itself descheduled
/// while spinning (its core is wanted by someone else). When the caller had to wait for a helper much longer
/// than running its chunk itself would have taken (the helper lost its core in the middle of a chunk), jobs run
/// on the caller alone for a while (<see cref="HelperPause"/>: 1 ms, growing to 100 ms while such stalls keep
/// coming), so two threads on a busy machine are not slower than one.</para>
/// <para>Runs inline (sequentially on the caller) when <c>Threads.Count == 1</c>, when
/// <c>count &lt;= 1</c>, when called from inside a parallel body (nesting) or while another thread is
/// using the pool. Callers decide themselves whether a job is big enough to be worth splitting
/// (a dispatch costs a few hundred nanoseconds while the workers are still spinning, tens of
/// microseconds when they have gone to sleep).</para>
/// <para>Every chunk runs even if one throws; the first exception is then rethrown on the caller.</para>
/// </remarks>
internal static unsafe class CpuParallel
{
    /// <summary>The longest an idle worker spins before it blocks (see <see cref="SpinBudget"/>).</summary>
    internal const int MaxSpinMicroseconds = 300;

    /// <summary>The shortest spin, after the worker found its core taken by another thread.</summary>
    internal const int MinSpinMicroseconds = 2;

    /// <summary>A gap this long between two looks at the clock while spinning means the worker was descheduled.</summary>
    internal const int PreemptedMicroseconds = 50;

    /// <summary>How often a spinning worker offers its core to other runnable threads.</summary>
    internal const int YieldEveryMicroseconds = 8;

    /// <summary>The shortest and longest time jobs run on the caller alone after helpers stalled it (see <see cref="HelperPause"/>).</summary>
    internal const int MinPauseMicroseconds = 1_000, MaxPauseMicroseconds = 100_000;

    /// <summary>A wait for helpers up to this much longer than twice the caller's own chunks is not a stall.</summary>
    internal const int StallSlackMicroseconds = 250;

    private static long Ticks(int microseconds) => Stopwatch.Frequency * microseconds / 1_000_000;

    private static HelperPause _pause = new(Ticks(MinPauseMicroseconds), Ticks(MaxPauseMicroseconds));

    private static readonly object _dispatchLock = new();
    private static readonly object _sleepGate = new();
    private static readonly List<Thread> _workers = [];

    // The job: written by the dispatching thread only while _state is closed (see below).
    private static delegate*<int, void> _body;
    private static int _count;
    private static int _participants;
    private static int _completed;
    private static ExceptionDispatchInfo? _error;

    // (generation << 32) | next chunk index. A chunk is claimed by a compare-exchange on the whole
    // word, so a helper that read the job fields and then lost the race to a newer job (or to the
    // job being closed) cannot run anything with stale fields. Closing sets the index to Closed
    // before the next job's fields are written. Helpers that claimed nothing never delay the caller.
    private static long _state = Closed;
    private const long Closed = int.MaxValue;
    private static int _sleepers;

    [ThreadStatic] private static bool t_insideJob;

    /// <summary>
    /// Chunk <paramref name="index"/> of <paramref name="chunks"/> over <paramref name="units"/> units of
    /// <paramref name="unitSize"/> elements each (tiles, row groups), as an element range clipped to
    /// <paramref name="limit"/>: chunks split on unit boundaries and differ in size by at most one unit.
    /// </summary>
    public static (int Start, int End) ChunkRange(int units, int index, int chunks, int unitSize, int limit)
        => ((int)((long)units * index / chunks) * unitSize, Math.Min(limit, (int)((long)units * (index + 1) / chunks) * unitSize));

    /// <summary>Runs <paramref name="body"/>(i) for every i in [0, count), in parallel.</summary>
    /// <param name="count">The number of chunks.</param>
    /// <param name="body">The chunk body; it must be safe to run concurrently for distinct indices.</param>
    public static void For(int count, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var wrapper = new DelegateBody(body);
        For(count, in wrapper);
    }

    /// <summary>
    /// Runs <c>body.Invoke(i)</c> for every i in [0, count), in parallel, without allocating.
    /// The struct is copied once for the helpers, so chunks must write their results through
    /// references or pointers held in the struct, never into the struct's own fields.
    /// </summary>
    /// <typeparam name="TBody">The work-item struct.</typeparam>
    /// <param name="count">The number of chunks.</param>
    /// <param name="body">The work item.</param>
    public static void For<TBody>(int count, in TBody body) where TBody : struct, IParallelBody
    {
        if (count <= 0)
            return;
        int threads = Math.Min(Threads.Count, count);
        if (threads <= 1 || t_insideJob || _pause.Paused(Stopwatch.GetTimestamp()) || !Monitor.TryEnter(_dispatchLock))
        {
            RunInline(count, in body);
            return;
        }

        try
        {
            EnsureWorkers(threads - 1);
            Holder<TBody>.Body = body;
            _body = &Holder<TBody>.Invoke;
            _count = count;
            _participants = threads - 1;
            _completed = 0;
            _error = null;
            long generation = (Volatile.Read(ref _state) >> 32) + 1;
            Interlocked.Exchange(ref _state, generation << 32);
            if (Volatile.Read(ref _sleepers) > 0)
            {
                lock (_sleepGate)
                    Monitor.PulseAll(_sleepGate);
            }

            long start = Stopwatch.GetTimestamp();
            int own;
            t_insideJob = true;
            try
            {
                own = RunChunks(generation, participate: true);
            }
            finally
            {
                t_insideJob = false;
            }

            // Wait only for chunks other threads have claimed, then close the job.
            long ownEnd = Stopwatch.GetTimestamp();
            var spinner = new SpinWait();
            while (Volatile.Read(ref _completed) != count)
                spinner.SpinOnce(-1);
            Interlocked.Exchange(ref _state, (generation << 32) | Closed);
            if (own < count)
            {
                long end = Stopwatch.GetTimestamp();
                if (HelperPause.IsStall(own, ownEnd - start, end - ownEnd, Ticks(StallSlackMicroseconds)))
                    _pause.Stalled(end);
            }

            Holder<TBody>.Body = default;
            _body = null;
            _error?.Throw();
        }
        finally
        {
            Monitor.Exit(_dispatchLock);
        }
    }

    private static void RunInline<TBody>(int count, in TBody body) where TBody : struct, IParallelBody
    {
        var local = body;
        for (int i = 0; i < count; i++)
            local.Invoke(i);
    }

    /// <summary>Claims and runs chunks of job <paramref name="generation"/> until none are left; returns how many it ran.</summary>
    private static int RunChunks(long generation, bool participate)
    {
        int ran = 0;
        while (participate)
        {
            long state = Volatile.Read(ref _state);
            int index = (int)(state & 0xFFFFFFFF);
            if (state >> 32 != generation || index >= Closed)
                break;
            // Read the job, then validate it by claiming: the exchange fails if the job moved on.
            delegate*<int, void> fn = _body;
            int count = _count;
            if (index >= count)
                break;
            if (Interlocked.CompareExchange(ref _state, state + 1, state) != state)
                continue;
            ran++;
            try
            {
                fn(index);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                Interlocked.Increment(ref _completed);
            }
        }
        return ran;
    }

    private static void EnsureWorkers(int needed)
    {
        while (_workers.Count < needed)
        {
            int id = _workers.Count;
            var thread = new Thread(() => WorkerLoop(id))
            {
                IsBackground = true,
                Name = "Dendrite CPU worker " + id,
            };
            _workers.Add(thread);
            thread.Start();
        }
    }

    private static void WorkerLoop(int id)
    {
        t_insideJob = true;
        long seen = Volatile.Read(ref _state) >> 32;
        var budget = new SpinBudget(Ticks(MinSpinMicroseconds), Ticks(MaxSpinMicroseconds));
        long preempted = Ticks(PreemptedMicroseconds), yieldEvery = Ticks(YieldEveryMicroseconds);
        while (true)
        {
            long generation = WaitForJob(seen, ref budget, preempted, yieldEvery);
            seen = generation;
            RunChunks(generation, participate: id < Volatile.Read(ref _participants));
        }
    }

    /// <summary>Spins (yielding now and then) for a job newer than <paramref name="seen"/>, then blocks.</summary>
    private static long WaitForJob(long seen, ref SpinBudget budget, long preempted, long yieldEvery)
    {
        long start = Stopwatch.GetTimestamp(), last = start, lastYield = start;
        long limit = budget.Current;
        long generation;
        while ((generation = Volatile.Read(ref _state) >> 32) == seen)
        {
            long now = Stopwatch.GetTimestamp();
            if (now - last > preempted)
            {
                budget.Preempted();
                break;
            }
            if (now - start > limit)
                break;
            last = now;
            if (now - lastYield > yieldEvery)
            {
                // A yield that gave the core away for long shows up as a gap at the next look.
                Thread.Yield();
                lastYield = now;
            }
            else
            {
                Thread.SpinWait(4);
            }
        }
        if (generation != seen)
        {
            budget.ArrivedWhileSpinning(Stopwatch.GetTimestamp() - start);
            return generation;
        }

        Interlocked.Increment(ref _sleepers);
        lock (_sleepGate)
        {
            while ((generation = Volatile.Read(ref _state) >> 32) == seen)
                Monitor.Wait(_sleepGate);
        }
        Interlocked.Decrement(ref _sleepers);
        budget.ArrivedAfterBlocking(Stopwatch.GetTimestamp() - start);
        return generation;
    }

    /// <summary>Per-type slot holding the current job's body, so the pool can call it through a
    /// plain function pointer (no boxing, no delegate).</summary>
    private static class Holder<TBody> where TBody : struct, IParallelBody
    {
        public static TBody Body;

        public static void Invoke(int index) => Body.Invoke(index);
    }

    private readonly struct DelegateBody(Action<int> body) : IParallelBody
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(int index) => body(index);
    }
}

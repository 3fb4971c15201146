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
/// chunks another thread has actually started. After a job, workers spin for a short while (about
/// <see cref="SpinMicroseconds"/> µs) before blocking, so back-to-back calls (a training loop, a
/// benchmark) do not pay a kernel wake-up; an idle program does not burn CPU.</para>
/// <para>Runs inline (sequentially on the caller) when <c>Threads.Count == 1</c>, when
/// <c>count &lt;= 1</c>, when called from inside a parallel body (nesting) or while another thread is
/// using the pool. Callers decide themselves whether a job is big enough to be worth splitting
/// (a dispatch costs a few hundred nanoseconds while the workers are still spinning, tens of
/// microseconds when they have gone to sleep).</para>
/// <para>Every chunk runs even if one throws; the first exception is then rethrown on the caller.</para>
/// </remarks>
internal static unsafe class CpuParallel
{
    /// <summary>How long an idle worker spins before it blocks.</summary>
    internal const int SpinMicroseconds = 300;

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
        if (threads <= 1 || t_insideJob || !Monitor.TryEnter(_dispatchLock))
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

            t_insideJob = true;
            try
            {
                RunChunks(generation, participate: true);
            }
            finally
            {
                t_insideJob = false;
            }

            // Wait only for chunks other threads have claimed, then close the job.
            var spinner = new SpinWait();
            while (Volatile.Read(ref _completed) != count)
                spinner.SpinOnce(-1);
            Interlocked.Exchange(ref _state, (generation << 32) | Closed);

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

    /// <summary>Claims and runs chunks of job <paramref name="generation"/> until none are left.</summary>
    private static void RunChunks(long generation, bool participate)
    {
        while (participate)
        {
            long state = Volatile.Read(ref _state);
            int index = (int)(state & 0xFFFFFFFF);
            if (state >> 32 != generation || index >= Closed)
                return;
            // Read the job, then validate it by claiming: the exchange fails if the job moved on.
            delegate*<int, void> fn = _body;
            int count = _count;
            if (index >= count)
                return;
            if (Interlocked.CompareExchange(ref _state, state + 1, state) != state)
                continue;
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
        long spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
        while (true)
        {
            // Spin for a new generation, then block.
            long start = Stopwatch.GetTimestamp();
            long generation;
            int spins = 0;
            while ((generation = Volatile.Read(ref _state) >> 32) == seen)
            {
                Thread.SpinWait(8);
                if ((++spins & 63) == 0 && Stopwatch.GetTimestamp() - start > spinTicks)
                {
                    Interlocked.Increment(ref _sleepers);
                    lock (_sleepGate)
                    {
                        while (Volatile.Read(ref _state) >> 32 == seen)
                            Monitor.Wait(_sleepGate);
                    }
                    Interlocked.Decrement(ref _sleepers);
                    start = Stopwatch.GetTimestamp();
                }
            }
            seen = generation;
            RunChunks(generation, participate: id < Volatile.Read(ref _participants));
        }
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

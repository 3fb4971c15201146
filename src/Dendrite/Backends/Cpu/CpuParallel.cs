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
/// created lazily. Chunks are handed out dynamically through an interlocked counter, so uneven
/// chunks balance themselves. After a job, workers spin for a short while (about
/// <see cref="SpinMicroseconds"/> µs) before blocking, so back-to-back calls (a training loop, a
/// benchmark) do not pay a kernel wake-up; an idle program does not burn CPU.</para>
/// <para>Runs inline (sequentially on the caller) when <c>Threads.Count == 1</c>, when
/// <c>count &lt;= 1</c>, when called from inside a parallel body (nesting) or while another thread is
/// using the pool. Callers decide themselves whether a job is big enough to be worth splitting
/// (a dispatch costs a few hundred nanoseconds while the workers are still spinning, tens of
/// microseconds when they have gone to sleep).</para>
/// <para>The first exception thrown by a chunk is rethrown on the caller after all chunks stop.</para>
/// </remarks>
internal static unsafe class CpuParallel
{
    /// <summary>How long an idle worker spins before it blocks.</summary>
    internal const int SpinMicroseconds = 300;

    private static readonly object _dispatchLock = new();
    private static readonly object _sleepGate = new();
    private static readonly List<Thread> _workers = [];

    // Job state: written only by the dispatching thread while _open == 0 and _active == 0.
    private static delegate*<int, void> _body;
    private static int _count;
    private static int _participants;
    private static int _next;
    private static ExceptionDispatchInfo? _error;

    // _open: 1 while the current job accepts helpers. _active: workers that may touch job state.
    private static int _open;
    private static int _active;
    private static int _generation;
    private static int _sleepers;

    [ThreadStatic] private static bool t_insideJob;

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
            _next = 0;
            _error = null;
            Volatile.Write(ref _open, 1);
            Interlocked.Increment(ref _generation);
            if (Volatile.Read(ref _sleepers) > 0)
            {
                lock (_sleepGate)
                    Monitor.PulseAll(_sleepGate);
            }

            t_insideJob = true;
            try
            {
                RunChunks();
            }
            finally
            {
                t_insideJob = false;
            }

            // Close the job and wait until no helper can still be inside it (Dekker-style: the
            // exchange is a full fence, as is the helpers' increment of _active).
            Interlocked.Exchange(ref _open, 0);
            var spinner = new SpinWait();
            while (Volatile.Read(ref _active) != 0)
                spinner.SpinOnce(-1);

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

    private static void RunChunks()
    {
        delegate*<int, void> fn = _body;
        int count = _count;
        try
        {
            int i;
            while ((i = Interlocked.Increment(ref _next) - 1) < count)
                fn(i);
        }
        catch (Exception e)
        {
            // Stop handing out chunks and remember the first failure for the caller.
            Interlocked.Exchange(ref _next, int.MaxValue / 2);
            Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
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
        int seen = Volatile.Read(ref _generation);
        long spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
        while (true)
        {
            // Spin for a new generation, then block.
            long start = Stopwatch.GetTimestamp();
            int gen;
            int spins = 0;
            while ((gen = Volatile.Read(ref _generation)) == seen)
            {
                Thread.SpinWait(8);
                if ((++spins & 63) == 0 && Stopwatch.GetTimestamp() - start > spinTicks)
                {
                    Interlocked.Increment(ref _sleepers);
                    lock (_sleepGate)
                    {
                        while (Volatile.Read(ref _generation) == seen)
                            Monitor.Wait(_sleepGate);
                    }
                    Interlocked.Decrement(ref _sleepers);
                    start = Stopwatch.GetTimestamp();
                }
            }
            seen = gen;

            Interlocked.Increment(ref _active);
            if (Volatile.Read(ref _open) == 1 && id < _participants)
                RunChunks();
            Interlocked.Decrement(ref _active);
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

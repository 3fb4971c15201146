namespace Dendrite.Backends.Cpu;

/// <summary>
/// How long an idle <see cref="CpuParallel"/> worker spins before it blocks, adapted to the gaps it has seen
/// between jobs. Times are in any one unit (the pool uses <see cref="System.Diagnostics.Stopwatch"/> ticks).
/// </summary>
/// <remarks>
/// Spinning pays only when the next job comes before the spin ends (it saves a kernel wake-up of tens of
/// microseconds); otherwise it burns a core another thread or process could use. So: a job that came late in
/// the spin doubles the budget; a job that came after the worker blocked, but within a gap the longest
/// spin would have covered, raises the budget to cover that gap; a gap longer than that halves it; and a
/// spin that lost its core (the worker was descheduled: its core is oversubscribed) drops to the minimum.
/// </remarks>
internal struct SpinBudget(long min, long max)
{
    /// <summary>The shortest and longest spin.</summary>
    public readonly long Min = min, Max = max;

    /// <summary>How long the next spin lasts.</summary>
    public long Current { get; private set; } = max;

    /// <summary>A job arrived <paramref name="spun"/> into a spin.</summary>
    public void ArrivedWhileSpinning(long spun)
    {
        if (2 * spun > Current)
            Current = Math.Min(Max, 2 * Current);
    }

    /// <summary>A job arrived after the worker blocked, <paramref name="idle"/> after it began to wait.</summary>
    public void ArrivedAfterBlocking(long idle)
    {
        Current = idle <= Max ? Math.Min(Max, Math.Max(2 * Current, idle + idle / 2)) : Math.Max(Min, Current / 2);
    }

    /// <summary>The worker was descheduled while it spun: another thread wants its core.</summary>
    public void Preempted() => Current = Min;
}

/// <summary>
/// When the caller of <see cref="CpuParallel"/> should run jobs alone because the helpers have recently made it
/// wait (a helper whose core is shared with another process gets descheduled in the middle of a chunk, and the
/// caller then waits out the other process's time slice). Times are in any one unit.
/// </summary>
/// <remarks>
/// A stall sets a pause of <see cref="Min"/>, or twice the last pause if the previous stall came within
/// <see cref="Recent"/> pauses of it (so under steady competition the pause grows to <see cref="Max"/> and the
/// helpers are tried again only now and then); after a quiet spell the next stall starts from the minimum.
/// </remarks>
internal struct HelperPause(long min, long max)
{
    /// <summary>The shortest and longest pause.</summary>
    public readonly long Min = min, Max = max;

    /// <summary>A stall within this many pause lengths of the previous one doubles the pause.</summary>
    public const int Recent = 8;

    private long _length, _lastStall = long.MinValue / 2, _until = long.MinValue;

    /// <summary>The current pause length (0 before the first stall).</summary>
    public readonly long Length => _length;

    /// <summary>Whether jobs should run on the caller alone at time <paramref name="now"/>.</summary>
    public readonly bool Paused(long now) => now < _until;

    /// <summary>The caller waited for helpers much longer than doing their chunks itself would have taken.</summary>
    public void Stalled(long now)
    {
        _length = _length > 0 && now - _lastStall <= Recent * _length ? Math.Min(Max, 2 * _length) : Min;
        _lastStall = now;
        _until = now + _length;
    }

    /// <summary>
    /// Whether a job where the caller ran <paramref name="ownChunks"/> chunks in <paramref name="ownTime"/> and then
    /// waited <paramref name="wait"/> for the helpers' last chunks was a stall: the wait is more than twice a chunk
    /// of the caller's own plus <paramref name="slack"/> (late starts and cache misses are not stalls).
    /// </summary>
    public static bool IsStall(int ownChunks, long ownTime, long wait, long slack)
        => ownChunks > 0 && wait > 2 * ownTime / ownChunks + slack;
}

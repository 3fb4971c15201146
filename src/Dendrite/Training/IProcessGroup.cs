namespace Dendrite.Training;

/// <summary>
/// The processes that train one model together, as <see cref="Trainer"/> sees them: each has a rank in
/// 0 .. <see cref="Size"/> − 1, and every process makes the same collective calls in the same order.
/// <c>Dendrite.Distributed.ProcessGroup</c> implements it over MPI; the core library needs no MPI.
/// </summary>
public interface IProcessGroup
{
    /// <summary>This process's rank (0 is the one that prints and writes files).</summary>
    int Rank { get; }

    /// <summary>The number of processes.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> on every process by their element-wise sum over all processes.</summary>
    void AllReduceSum(Span<double> values);

    /// <summary>
    /// Gathers every process's <paramref name="mine"/> (the same length on all) into <paramref name="all"/>, rank r's
    /// values at <c>r * mine.Length</c>.
    /// </summary>
    void AllGather(ReadOnlySpan<long> mine, Span<long> all);
}

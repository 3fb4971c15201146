namespace Dendrite.Distributed;

/// <summary>How <see cref="ProcessGroup.AllReduce{T}"/> combines the processes' values, element by element.</summary>
public enum ReduceOp
{
    /// <summary>The sum (MPI_SUM).</summary>
    Sum,

    /// <summary>The maximum (MPI_MAX).</summary>
    Max,

    /// <summary>The minimum (MPI_MIN).</summary>
    Min,
}

using ILGPU;

namespace Dendrite.Gpu.Kernels.Reductions;

/// <summary>
/// The threads that cooperate on one unit of work (a row, a partial sum) in the row kernels of the losses and the
/// norms: one thread, one warp, or one group. A kernel takes the team as a type argument, so the same source runs
/// barrier-free (<see cref="ThreadTeam"/>, for ilgpu-cpu and short rows) or with shuffles and shared memory.
/// </summary>
/// <remarks>
/// The all-reductions are collective: every thread of a team calls them with the same control flow, and every thread
/// gets the same bits back (a butterfly of commutative combines, then the warp results read in warp order), so a
/// team may branch on the result. <c>scratch</c> is shared memory of at least <see cref="BlockReduce.MaxWarps"/>
/// doubles (used by <see cref="GroupTeam"/> only).
/// </remarks>
internal interface ITeam
{
    /// <summary>The index of this thread's team in the grid.</summary>
    long Team();

    /// <summary>The number of teams in the grid.</summary>
    long Teams();

    /// <summary>This thread's position in its team.</summary>
    int Rank();

    /// <summary>Threads per team.</summary>
    int Size();

    /// <summary>Σ v over the team.</summary>
    double Sum(double v, ArrayView<double> scratch);

    /// <summary>max v over the team; NaN wins.</summary>
    double Max(double v, ArrayView<double> scratch);

    /// <summary>min v over the team; NaN wins.</summary>
    double Min(double v, ArrayView<double> scratch);
}

/// <summary>The combines of the team reductions (NaN-propagating max and min).</summary>
internal static class TeamOps
{
    /// <summary>The larger of a and b, NaN when either is.</summary>
    public static double Max(double a, double b) => a >= b || double.IsNaN(a) ? a : b;

    /// <summary>The smaller of a and b, NaN when either is.</summary>
    public static double Min(double a, double b) => a <= b || double.IsNaN(a) ? a : b;
}

/// <summary>One thread per team: no collectives at all.</summary>
internal readonly struct ThreadTeam : ITeam
{
    /// <inheritdoc/>
    [DeviceFunction]
    public long Team() => Grid.GlobalIndex.X;

    /// <inheritdoc/>
    [DeviceFunction]
    public long Teams() => (long)Grid.DimX * Group.DimX;

    /// <inheritdoc/>
    public int Rank() => 0;

    /// <inheritdoc/>
    public int Size() => 1;

    /// <inheritdoc/>
    public double Sum(double v, ArrayView<double> scratch) => v;

    /// <inheritdoc/>
    public double Max(double v, ArrayView<double> scratch) => v;

    /// <inheritdoc/>
    public double Min(double v, ArrayView<double> scratch) => v;
}

/// <summary>One warp per team: butterfly shuffles (every lane ends with the result).</summary>
internal readonly struct WarpTeam : ITeam
{
    /// <inheritdoc/>
    [DeviceFunction]
    public long Team() => (long)Grid.IdxX * (Group.DimX / Warp.WarpSize) + Warp.WarpIdx;

    /// <inheritdoc/>
    [DeviceFunction]
    public long Teams() => (long)Grid.DimX * (Group.DimX / Warp.WarpSize);

    /// <inheritdoc/>
    [DeviceFunction]
    public int Rank() => Warp.LaneIdx;

    /// <inheritdoc/>
    [DeviceFunction]
    public int Size() => Warp.WarpSize;

    /// <inheritdoc/>
    [DeviceFunction]
    public double Sum(double v, ArrayView<double> scratch) => WarpSum(v);

    /// <inheritdoc/>
    [DeviceFunction]
    public double Max(double v, ArrayView<double> scratch) => WarpMax(v);

    /// <inheritdoc/>
    [DeviceFunction]
    public double Min(double v, ArrayView<double> scratch) => WarpMin(v);

    /// <summary>Σ over the warp; lane i adds lane i ^ 16, then i ^ 8, ... (a + b = b + a, so all lanes agree).</summary>
    [DeviceFunction]
    public static double WarpSum(double v)
    {
        for (int offset = Warp.WarpSize / 2; offset > 0; offset >>= 1)
            v += Warp.ShuffleXor(v, offset);
        return v;
    }

    /// <summary>max over the warp (NaN wins), as <see cref="WarpSum"/>.</summary>
    [DeviceFunction]
    public static double WarpMax(double v)
    {
        for (int offset = Warp.WarpSize / 2; offset > 0; offset >>= 1)
            v = TeamOps.Max(v, Warp.ShuffleXor(v, offset));
        return v;
    }

    /// <summary>min over the warp (NaN wins), as <see cref="WarpSum"/>.</summary>
    [DeviceFunction]
    public static double WarpMin(double v)
    {
        for (int offset = Warp.WarpSize / 2; offset > 0; offset >>= 1)
            v = TeamOps.Min(v, Warp.ShuffleXor(v, offset));
        return v;
    }
}

/// <summary>
/// One group per team (a multiple of 32 threads, at most 1024): warp butterflies, the warp results through shared
/// memory, then every thread combines them in warp order.
/// </summary>
internal readonly struct GroupTeam : ITeam
{
    /// <inheritdoc/>
    [DeviceFunction]
    public long Team() => Grid.IdxX;

    /// <inheritdoc/>
    [DeviceFunction]
    public long Teams() => Grid.DimX;

    /// <inheritdoc/>
    [DeviceFunction]
    public int Rank() => Group.IdxX;

    /// <inheritdoc/>
    [DeviceFunction]
    public int Size() => Group.DimX;

    /// <inheritdoc/>
    [DeviceFunction]
    public double Sum(double v, ArrayView<double> scratch)
    {
        Publish(WarpTeam.WarpSum(v), scratch);
        double total = scratch[0];
        for (int w = 1; w < Group.DimX / Warp.WarpSize; w++)
            total += scratch[w];
        Group.Barrier();
        return total;
    }

    /// <inheritdoc/>
    [DeviceFunction]
    public double Max(double v, ArrayView<double> scratch)
    {
        Publish(WarpTeam.WarpMax(v), scratch);
        double best = scratch[0];
        for (int w = 1; w < Group.DimX / Warp.WarpSize; w++)
            best = TeamOps.Max(best, scratch[w]);
        Group.Barrier();
        return best;
    }

    /// <inheritdoc/>
    [DeviceFunction]
    public double Min(double v, ArrayView<double> scratch)
    {
        Publish(WarpTeam.WarpMin(v), scratch);
        double best = scratch[0];
        for (int w = 1; w < Group.DimX / Warp.WarpSize; w++)
            best = TeamOps.Min(best, scratch[w]);
        Group.Barrier();
        return best;
    }

    // Lane 0 of each warp stores the warp's result; the barrier makes all of them visible.
    [DeviceFunction]
    private static void Publish(double warpResult, ArrayView<double> scratch)
    {
        if (Warp.LaneIdx == 0)
            scratch[Warp.WarpIdx] = warpResult;
        Group.Barrier();
    }
}

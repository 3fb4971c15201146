using System.Numerics;
using Dendrite.Gpu.Kernels.Reductions;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Loss;

/// <summary>A test on one element for <see cref="FirstFlaggedKernels"/>.</summary>
internal interface IElementFlag<T> where T : unmanaged
{
    /// <summary>True when <paramref name="v"/> is what the search looks for.</summary>
    bool Flagged(T v);
}

/// <summary>Not a probability: outside [0, 1], NaN included.</summary>
internal readonly struct NotProbability<T> : IElementFlag<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public bool Flagged(T v) => !(v >= T.Zero && v <= T.One);
}

/// <summary>A class label outside [0, classes) that is not the ignore index.</summary>
internal readonly struct InvalidLabel(long classes, long ignoreIndex) : IElementFlag<long>
{
    /// <summary>The number of classes C.</summary>
    public long Classes { get; } = classes;

    /// <summary>The label that marks an ignored row.</summary>
    public long IgnoreIndex { get; } = ignoreIndex;

    /// <inheritdoc/>
    public bool Flagged(long v) => (ulong)v >= (ulong)Classes && v != IgnoreIndex;
}

/// <summary>
/// The first flagged position of a dense view, in two launches: per-team first positions of the grid-stride
/// elements, then one team taking the smallest. Positions travel as doubles (exact below 2⁵³); "none" is n.
/// </summary>
internal static class FirstFlaggedKernels
{
    /// <summary>partials[team] = the smallest flagged i among the team's grid-stride elements, or n.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float), typeof(NotProbability<float>), typeof(ThreadTeam))]
    [KernelInstance(typeof(float), typeof(NotProbability<float>), typeof(GroupTeam))]
    [KernelInstance(typeof(double), typeof(NotProbability<double>), typeof(ThreadTeam))]
    [KernelInstance(typeof(double), typeof(NotProbability<double>), typeof(GroupTeam))]
    [KernelInstance(typeof(long), typeof(InvalidLabel), typeof(ThreadTeam))]
    [KernelInstance(typeof(long), typeof(InvalidLabel), typeof(GroupTeam))]
    public static void Partials<T, TFlag, TTeam>(ArrayView<T> x, long n, ArrayView<double> partials, TFlag flag, TTeam team)
        where T : unmanaged where TFlag : struct, IElementFlag<T> where TTeam : struct, ITeam
    {
        var scratch = SharedMemory.Allocate<double>(BlockReduce.MaxWarps);
        long stride = (long)Grid.DimX * Group.DimX;
        double first = n;
        // A thread sees its positions in increasing order: its first hit is its smallest.
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            if (flag.Flagged(x[i]))
            {
                first = i;
                break;
            }
        }
        first = team.Min(first, scratch);
        if (team.Rank() == 0)
            partials[team.Team()] = first;
    }

    /// <summary>result[0] = the smallest of the partials (n when nothing was flagged), by one team.</summary>
    [GpuKernel]
    [KernelInstance(typeof(ThreadTeam)), KernelInstance(typeof(WarpTeam)), KernelInstance(typeof(GroupTeam))]
    public static void Combine<TTeam>(ArrayView<double> partials, long count, ArrayView<long> result, TTeam team)
        where TTeam : struct, ITeam
    {
        var scratch = SharedMemory.Allocate<double>(BlockReduce.MaxWarps);
        double first = double.PositiveInfinity;
        for (long k = team.Rank(); k < count; k += team.Size())
            first = TeamOps.Min(first, partials[k]);
        first = team.Min(first, scratch);
        if (team.Rank() == 0)
            result[0] = (long)first;
    }
}

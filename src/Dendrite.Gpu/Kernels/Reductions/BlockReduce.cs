using ILGPU;

namespace Dendrite.Gpu.Kernels.Reductions;

/// <summary>
/// Warp- and group-level reductions with shuffles, shared by the reduction kernels. Every thread of the group must
/// call them (shuffles and barriers are collective); the result is valid in lane 0 (warp) or thread 0 (group).
/// The combine order is a fixed tree, so a launch shape gives the same bits on every run.
/// </summary>
internal static class BlockReduce
{
    /// <summary>The most warps a group may have (1024 threads / 32).</summary>
    public const int MaxWarps = 32;

    /// <summary>Tree over the warp: lane i takes lane i + 16, then i + 8, ..., i + 1. Lane 0 holds the result.</summary>
    [DeviceFunction]
    public static T Warp<T, TOp>(T value, TOp op) where T : unmanaged where TOp : struct, IReduceOp<T>
    {
        for (int offset = ILGPU.Warp.WarpSize / 2; offset > 0; offset >>= 1)
            value = op.Combine(value, ILGPU.Warp.ShuffleDown(value, offset));
        return value;
    }

    /// <summary>
    /// Whole group: warp trees, warp results through shared memory (<paramref name="scratch"/>, ≥ warps elements),
    /// then one more warp tree. Thread 0 holds the result; ends with a barrier so the scratch can be reused.
    /// </summary>
    [DeviceFunction]
    public static T Group<T, TOp>(T value, ArrayView<T> scratch, TOp op) where T : unmanaged where TOp : struct, IReduceOp<T>
    {
        value = Warp(value, op);
        int lane = ILGPU.Warp.LaneIdx, warps = ILGPU.Group.DimX / ILGPU.Warp.WarpSize;
        if (lane == 0)
            scratch[ILGPU.Warp.WarpIdx] = value;
        ILGPU.Group.Barrier();
        // Every warp reduces the warp results (shuffles stay uniform); only warp 0's is used.
        value = lane < warps ? scratch[lane] : op.Identity;
        value = Warp(value, op);
        ILGPU.Group.Barrier();
        return value;
    }

    /// <summary>
    /// True when (<paramref name="otherValue"/>, <paramref name="otherIndex"/>) beats (<paramref name="value"/>,
    /// <paramref name="index"/>): strictly better, or neither better and an earlier index (first occurrence).
    /// </summary>
    public static bool Takes<T, TOp>(T value, long index, T otherValue, long otherIndex, TOp op)
        where T : unmanaged where TOp : struct, IArgReduceOp<T> =>
        op.Better(otherValue, value) || !op.Better(value, otherValue) && otherIndex < index;

    /// <summary>Arg tree over the warp (value and index shuffled together); lane 0 holds the result.</summary>
    [DeviceFunction]
    public static void ArgWarp<T, TOp>(ref T value, ref long index, TOp op) where T : unmanaged where TOp : struct, IArgReduceOp<T>
    {
        for (int offset = ILGPU.Warp.WarpSize / 2; offset > 0; offset >>= 1)
        {
            T otherValue = ILGPU.Warp.ShuffleDown(value, offset);
            long otherIndex = ILGPU.Warp.ShuffleDown(index, offset);
            if (Takes(value, index, otherValue, otherIndex, op))
            {
                value = otherValue;
                index = otherIndex;
            }
        }
    }

    /// <summary>Arg reduction over the group through shared scratch; thread 0 holds the result; ends with a barrier.</summary>
    [DeviceFunction]
    public static void ArgGroup<T, TOp>(ref T value, ref long index, ArrayView<T> valueScratch, ArrayView<long> indexScratch, TOp op)
        where T : unmanaged where TOp : struct, IArgReduceOp<T>
    {
        ArgWarp(ref value, ref index, op);
        int lane = ILGPU.Warp.LaneIdx, warps = ILGPU.Group.DimX / ILGPU.Warp.WarpSize;
        if (lane == 0)
        {
            valueScratch[ILGPU.Warp.WarpIdx] = value;
            indexScratch[ILGPU.Warp.WarpIdx] = index;
        }
        ILGPU.Group.Barrier();
        value = lane < warps ? valueScratch[lane] : op.Identity;
        index = lane < warps ? indexScratch[lane] : long.MaxValue;
        ArgWarp(ref value, ref index, op);
        ILGPU.Group.Barrier();
    }
}

using ILGPU;

namespace Dendrite.Gpu.Kernels.Reductions;

/// <summary>
/// Combines one value per lane of a <see cref="RowShape"/> team and gives the result to every lane: nothing to do
/// for one lane; a butterfly of shuffles for a warp (each step combines a pair in both lanes, and the combines are
/// commutative, so all lanes end with the same bits); for a group, the warps' results through shared memory, read
/// back by every thread in warp order. Every thread of the team must call it (collective).
/// </summary>
internal static class TeamReduce
{
    /// <summary>⊕ of <paramref name="value"/> over the team's lanes (teams of 1, warp-size or group-size lanes).</summary>
    [DeviceFunction]
    public static T All<T, TOp>(T value, int lanes, ArrayView<T> scratch, TOp op) where T : unmanaged where TOp : struct, IReduceOp<T>
    {
        if (lanes == 1)
            return value;
        for (int delta = Warp.WarpSize / 2; delta > 0; delta >>= 1)
            value = op.Combine(value, Warp.ShuffleXor(value, delta));
        if (lanes <= Warp.WarpSize)
            return value;
        int warps = Group.DimX / Warp.WarpSize;
        if (Warp.LaneIdx == 0)
            scratch[Warp.WarpIdx] = value;
        Group.Barrier();
        T total = scratch[0];
        for (int w = 1; w < warps; w++)
            total = op.Combine(total, scratch[w]);
        Group.Barrier();
        return total;
    }
}

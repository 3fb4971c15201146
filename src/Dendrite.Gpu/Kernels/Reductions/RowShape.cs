using ILGPU;

namespace Dendrite.Gpu.Kernels.Reductions;

/// <summary>
/// A dense [outer, r, inner] block seen as <see cref="Rows"/> = outer·inner rows of <see cref="R"/> elements:
/// row q = o·inner + i holds the elements (o·r + k)·inner + i for k &lt; r, <see cref="Inner"/> apart. A team of
/// <see cref="Lanes"/> threads handles a row (1: one thread; the warp size: a warp; the group size: a group), lane l
/// reading k = l, l + Lanes, ... so the threads of a team read neighbouring elements when inner = 1, and the
/// single-thread teams of a warp read neighbouring rows (coalesced) when inner &gt; 1.
/// </summary>
internal struct RowShape
{
#pragma warning disable CS1591 // described in the summary
    public int Rows, R, Inner, Lanes;
#pragma warning restore CS1591

    /// <summary>The element offset of row <paramref name="row"/>'s first element.</summary>
    public readonly int Start(int row)
    {
        if (Inner == 1)
            return row * R;
        int o = row / Inner;
        return o * R * Inner + (row - o * Inner);
    }

    /// <summary>This thread's team (the row it starts with), among <see cref="TeamCount"/> teams.</summary>
    [DeviceFunction]
    public readonly int Team() => Grid.IdxX * (Group.DimX / Lanes) + Group.IdxX / Lanes;

    /// <summary>The number of teams in the grid (the row step of the grid-stride loop).</summary>
    [DeviceFunction]
    public readonly int TeamCount() => Grid.DimX * (Group.DimX / Lanes);

    /// <summary>This thread's lane in its team.</summary>
    [DeviceFunction]
    public readonly int Lane() => Group.IdxX % Lanes;
}

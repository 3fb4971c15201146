using Dendrite.Gpu.Runtime;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Reductions;

/// <summary>
/// Which <see cref="ITeam"/> a team kernel runs with. <see cref="Auto"/> decides by shape and device; the others
/// force a team so that each can be tested on <c>ilgpu-cpu</c>.
/// </summary>
internal enum TeamKind
{
    /// <summary>Chosen by shape and device (see <see cref="TeamLaunch"/>).</summary>
    Auto,

    /// <summary><see cref="ThreadTeam"/>: no collectives.</summary>
    Thread,

    /// <summary><see cref="WarpTeam"/>: shuffles.</summary>
    Warp,

    /// <summary><see cref="GroupTeam"/>: shuffles, shared memory and barriers.</summary>
    Group,
}

/// <summary>A launch of a team kernel: the team, the grid, and how many teams the grid holds.</summary>
/// <param name="Kind">The team (never <see cref="TeamKind.Auto"/>).</param>
/// <param name="Config">Grid and group sizes.</param>
/// <param name="TeamCount">Teams in the grid (the number of partial results of a <see cref="Partials"/> launch).</param>
internal readonly record struct TeamLaunch(TeamKind Kind, KernelConfig Config, long TeamCount)
{
    // Rows of up to this many elements get one thread each on CUDA, up to RowWarpLimit one warp, longer one group.
    private const long RowThreadLimit = 32;
    private const long RowWarpLimit = 2048;

    /// <summary>
    /// One team per row of <paramref name="cols"/> elements, the teams striding over <paramref name="rows"/>. Auto:
    /// one thread per row on <c>ilgpu-cpu</c> and for short rows, a warp for rows up to a couple of thousand, else a
    /// group.
    /// </summary>
    public static TeamLaunch Rows(GpuDevice device, long rows, long cols, TeamKind kind = TeamKind.Auto)
    {
        if (kind == TeamKind.Auto)
            kind = device.IsCpu || cols <= RowThreadLimit ? TeamKind.Thread : cols <= RowWarpLimit ? TeamKind.Warp : TeamKind.Group;
        return Spread(device, kind, rows);
    }

    /// <summary>
    /// Partial results of a grid-stride pass over <paramref name="n"/> elements, one per team: one per thread
    /// (<see cref="TeamKind.Thread"/>; Auto on <c>ilgpu-cpu</c>, one 32-thread group there) or one per group (any
    /// other kind; Auto on CUDA).
    /// </summary>
    public static TeamLaunch Partials(GpuDevice device, long n, TeamKind kind = TeamKind.Auto)
    {
        if (kind == TeamKind.Auto)
            kind = device.IsCpu ? TeamKind.Thread : TeamKind.Group;
        if (kind == TeamKind.Thread)
        {
            var config = device.GridStride(n);
            return new TeamLaunch(kind, config, (long)config.GridDim.X * config.GroupDim.X);
        }
        int group = GroupSize(device);
        long groups = Math.Clamp((n + group - 1) / group, 1, device.IsCpu ? 4 : device.MaxLinearGroups);
        return new TeamLaunch(TeamKind.Group, device.Grouped(groups, group), groups);
    }

    /// <summary>One team for a whole (small) reduction. Auto: a single thread on <c>ilgpu-cpu</c>, one group on CUDA.</summary>
    public static TeamLaunch Single(GpuDevice device, TeamKind kind = TeamKind.Auto)
    {
        if (kind == TeamKind.Auto)
            kind = device.IsCpu ? TeamKind.Thread : TeamKind.Group;
        int threads = kind switch
        {
            TeamKind.Thread => 1,
            TeamKind.Warp => device.WarpSize,
            _ => GroupSize(device),
        };
        return new TeamLaunch(kind, device.Grouped(1, threads), 1);
    }

    // Teams striding over `work` items: enough to fill the device, never more than the work.
    private static TeamLaunch Spread(GpuDevice device, TeamKind kind, long work)
    {
        if (kind == TeamKind.Thread)
        {
            var config = device.GridStride(work);
            return new TeamLaunch(kind, config, (long)config.GridDim.X * config.GroupDim.X);
        }
        int group = GroupSize(device);
        int perGroup = kind == TeamKind.Warp ? group / device.WarpSize : 1;
        long groups = Math.Clamp((work + perGroup - 1) / perGroup, 1, device.IsCpu ? 2 : device.Multiprocessors * 8L);
        return new TeamLaunch(kind, device.Grouped(groups, group), groups * perGroup);
    }

    // 256 threads (8 warps) where the device allows it; GroupTeam's scratch holds up to 32 warps.
    private static int GroupSize(GpuDevice device) => Math.Min(256, device.MaxGroupSize);
}

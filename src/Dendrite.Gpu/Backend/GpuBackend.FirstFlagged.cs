using Dendrite.Gpu.Kernels.Loss;
using Dendrite.Gpu.Kernels.Reductions;
using ILGPU;

namespace Dendrite.Gpu.Backend;

// The searches behind the range checks (FindNonProbability, FindInvalidLabel): two launches, then one small read.
internal sealed partial class GpuBackend
{
    /// <summary>The first position of dense <paramref name="view"/> that <paramref name="flag"/> flags, or null; waits for the device.</summary>
    private long? FirstFlagged<T, TFlag>(ArrayView<T> view, TFlag flag) where T : unmanaged where TFlag : struct, IElementFlag<T>
    {
        long n = view.Length;
        if (n == 0)
            return null;
        var launch = TeamLaunch.Partials(Gpu, n, ForcedTeam);
        using var partials = Gpu.Allocate<double>(launch.TeamCount);
        var pv = partials.View<double>();
        if (launch.Kind == TeamKind.Thread)
            Gpu.Kernel<ArrayView<T>, long, ArrayView<double>, TFlag, ThreadTeam>(FirstFlaggedKernels.Partials<T, TFlag, ThreadTeam>)(
                Gpu.Stream, launch.Config, view, n, pv, flag, default);
        else
            Gpu.Kernel<ArrayView<T>, long, ArrayView<double>, TFlag, GroupTeam>(FirstFlaggedKernels.Partials<T, TFlag, GroupTeam>)(
                Gpu.Stream, launch.Config, view, n, pv, flag, default);
        using var result = Gpu.Allocate<long>(1);
        var rv = result.View<long>();
        var single = TeamLaunch.Single(Gpu, ForcedTeam);
        switch (single.Kind)
        {
            case TeamKind.Thread:
                Gpu.Kernel<ArrayView<double>, long, ArrayView<long>, ThreadTeam>(FirstFlaggedKernels.Combine<ThreadTeam>)(
                    Gpu.Stream, single.Config, pv, launch.TeamCount, rv, default);
                break;
            case TeamKind.Warp:
                Gpu.Kernel<ArrayView<double>, long, ArrayView<long>, WarpTeam>(FirstFlaggedKernels.Combine<WarpTeam>)(
                    Gpu.Stream, single.Config, pv, launch.TeamCount, rv, default);
                break;
            default:
                Gpu.Kernel<ArrayView<double>, long, ArrayView<long>, GroupTeam>(FirstFlaggedKernels.Combine<GroupTeam>)(
                    Gpu.Stream, single.Config, pv, launch.TeamCount, rv, default);
                break;
        }
        Span<long> first = stackalloc long[1];
        Gpu.CopyToHost(rv, first);
        return first[0] < n ? first[0] : null;
    }

    /// <summary>Element <paramref name="i"/> of <paramref name="view"/> as a double; waits for the device.</summary>
    private double ReadOne(ArrayView<float> view, long i)
    {
        Span<float> v = stackalloc float[1];
        Gpu.CopyToHost(view.SubView(i, 1), v);
        return v[0];
    }

    /// <inheritdoc cref="ReadOne(ArrayView{float}, long)"/>
    private double ReadOne(ArrayView<double> view, long i)
    {
        Span<double> v = stackalloc double[1];
        Gpu.CopyToHost(view.SubView(i, 1), v);
        return v[0];
    }
}

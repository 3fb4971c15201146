using Dendrite.Gpu.Kernels.Reductions;

namespace Dendrite.Gpu.Backend;

internal sealed partial class GpuBackend
{
    /// <summary>
    /// The team (<see cref="ITeam"/>) the team kernels of the losses, class losses and norms run with; Auto, the
    /// default, chooses by shape and device (<see cref="TeamLaunch"/>). Tests force the collective teams on a private
    /// ilgpu-cpu device, where Auto would always choose the barrier-free one.
    /// </summary>
    internal TeamKind ForcedTeam { get; init; }
}

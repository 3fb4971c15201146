namespace Dendrite.Gpu.Kernels.Reductions;

/// <summary>
/// Which reduction kernel runs. <see cref="Auto"/> decides by shape and device; the others force a kernel so each
/// one can be tested on <c>ilgpu-cpu</c> whatever the heuristics choose there.
/// </summary>
internal enum ReductionPath
{
    /// <summary>Chosen by shape and device (see <see cref="Reductions"/>).</summary>
    Auto,

    /// <summary>One thread per output, serial over the reduced dimension: no shuffles, no barriers.</summary>
    Thread,

    /// <summary>One warp per row with a shuffle tree (rows only).</summary>
    Warp,

    /// <summary>
    /// One group per row with shuffle trees and shared memory (rows); 32-wide tiles with slices combined in shared
    /// memory (middle dimension); per-group partials and a second pass (whole buffer).
    /// </summary>
    Group,
}

namespace Dendrite.Gpu.Kernels.Norm;

/// <summary>
/// Which normalization reduction kernels run. <see cref="Auto"/> picks per device; the others force one so that both
/// can be tested on <c>ilgpu-cpu</c>.
/// </summary>
internal enum NormPath
{
    /// <summary>Collective kernels on CUDA, per-thread kernels on <c>ilgpu-cpu</c>.</summary>
    Auto,

    /// <summary>One thread per reduced chunk or row, serial: no shuffles, no barriers.</summary>
    Thread,

    /// <summary>One group per channel chunk (batch norm) or one warp per row (layer norm), with shuffle trees.</summary>
    Collective,
}

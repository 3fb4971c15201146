namespace Dendrite;

/// <summary>The kind of a <see cref="Device"/>.</summary>
public enum DeviceType
{
    /// <summary>The host CPU, running Dendrite's own vectorized kernels.</summary>
    Cpu,
    /// <summary>An NVIDIA GPU through CUDA (needs the Dendrite.Gpu package and the NVIDIA driver).</summary>
    Cuda,
    /// <summary>
    /// The GPU backend's kernels run on ILGPU's CPU accelerator: the whole GPU code path (device buffers, transfers,
    /// kernels) on a machine without a GPU, for tests. Slow; not for training.
    /// </summary>
    IlgpuCpu,
}

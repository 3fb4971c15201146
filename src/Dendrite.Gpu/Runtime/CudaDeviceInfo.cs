namespace Dendrite.Gpu.Runtime;

/// <summary>What the driver reports about one CUDA device, for <c>dendrite devices</c> and error messages.</summary>
/// <param name="Index">The ordinal in <c>cuda:N</c>.</param>
/// <param name="Name">The marketing name, e.g. "NVIDIA H100 80GB HBM3".</param>
/// <param name="ComputeMajor">Compute capability, major part (9 for sm_90).</param>
/// <param name="ComputeMinor">Compute capability, minor part.</param>
/// <param name="TotalMemoryBytes">Device memory in bytes.</param>
/// <param name="DriverVersion">The CUDA driver API version, e.g. "12.4".</param>
/// <param name="Multiprocessors">Number of streaming multiprocessors.</param>
/// <param name="Supported">Whether ILGPU 1.5.3 can generate PTX for this device with this driver.</param>
internal sealed record CudaDeviceInfo(
    int Index,
    string Name,
    int ComputeMajor,
    int ComputeMinor,
    long TotalMemoryBytes,
    string DriverVersion,
    int Multiprocessors,
    bool Supported)
{
    /// <summary>The compute capability as PyTorch prints it, e.g. "9.0".</summary>
    public string ComputeCapability => $"{ComputeMajor}.{ComputeMinor}";

    /// <inheritdoc/>
    public override string ToString() =>
        $"cuda:{Index}  {Name}  compute {ComputeCapability}  {TotalMemoryBytes / (1024.0 * 1024 * 1024):F1} GiB  " +
        $"{Multiprocessors} SMs  driver {DriverVersion}{(Supported ? "" : "  (unsupported by ILGPU's PTX backend)")}";
}

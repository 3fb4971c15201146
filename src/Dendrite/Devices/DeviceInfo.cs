namespace Dendrite;

/// <summary>A device and what is known about it, as listed by <see cref="Device.List"/> and <c>dendrite devices</c>.</summary>
/// <param name="Device">The device.</param>
/// <param name="Name">The product name (e.g. <c>NVIDIA H100 80GB HBM3</c>).</param>
/// <param name="ComputeCapability">The CUDA compute capability (e.g. <c>9.0</c>), or null for other kinds.</param>
/// <param name="MemoryBytes">Total device memory in bytes (host memory for the CPU kinds), or 0 when unknown.</param>
/// <param name="Driver">The driver version, or null.</param>
/// <param name="Note">A remark, e.g. why a device cannot be used, or null.</param>
public sealed record DeviceInfo(Device Device, string Name, string? ComputeCapability, long MemoryBytes, string? Driver, string? Note = null);

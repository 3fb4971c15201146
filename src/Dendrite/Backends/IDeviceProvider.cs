namespace Dendrite.Backends;

/// <summary>
/// What a backend assembly (Dendrite.Gpu) offers the core: the backends of its devices and facts about them. The core
/// finds it through <see cref="DeviceProviderAttribute"/> the first time a non-CPU device is asked for, so referencing
/// the assembly is all a program does to make its devices available.
/// </summary>
internal interface IDeviceProvider
{
    /// <summary>Usable CUDA devices (0 when none; never throws).</summary>
    int CudaCount { get; }

    /// <summary>Why no CUDA device is usable (no driver library, no device, unsupported architecture), or null.</summary>
    string? CudaUnavailableReason { get; }

    /// <summary>The backend of <paramref name="device"/> (Cuda or IlgpuCpu), created on first use.</summary>
    /// <exception cref="InvalidOperationException">The device does not exist or cannot be used; the message says why.</exception>
    IBackend GetBackend(Device device);

    /// <summary>Name, capability, memory and driver of each device this provider can reach.</summary>
    IReadOnlyList<DeviceInfo> Describe();
}

/// <summary>Names the <see cref="IDeviceProvider"/> type of an assembly (it needs a public parameterless constructor).</summary>
[AttributeUsage(AttributeTargets.Assembly)]
internal sealed class DeviceProviderAttribute(Type providerType) : Attribute
{
    public Type ProviderType { get; } = providerType;
}

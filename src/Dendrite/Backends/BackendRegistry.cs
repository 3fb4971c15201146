using System.Reflection;
using Dendrite.Backends.Cpu;

namespace Dendrite.Backends;

/// <summary>Finds the backend of a device: the built-in CPU backend, or the one a device-provider assembly (Dendrite.Gpu) offers.</summary>
internal static class BackendRegistry
{
    /// <summary>The assembly that carries the GPU backend.</summary>
    public const string GpuAssemblyName = "Dendrite.Gpu";

    private static readonly Lazy<(IDeviceProvider? Provider, string? Missing)> GpuProvider = new(LoadGpu);

    /// <summary>The GPU device provider, or null when Dendrite.Gpu is not referenced (see <see cref="GpuMissingReason"/>).</summary>
    public static IDeviceProvider? Gpu => GpuProvider.Value.Provider;

    /// <summary>Why there is no GPU provider, or null when there is one.</summary>
    public static string? GpuMissingReason => GpuProvider.Value.Missing;

    /// <summary>The backend that runs <paramref name="device"/>'s kernels.</summary>
    /// <exception cref="InvalidOperationException">The device cannot be used; the message says why and what to do.</exception>
    public static IBackend Get(Device device)
    {
        if (device.IsCpu)
            return CpuBackend.Instance;
        var gpu = Gpu ?? throw new InvalidOperationException($"Device {device} is not available: {GpuMissingReason}");
        return gpu.GetBackend(device);
    }

    private static (IDeviceProvider?, string?) LoadGpu()
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(GpuAssemblyName));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return (null, $"the {GpuAssemblyName} package is not referenced by this program (add a reference to {GpuAssemblyName} to use cuda or ilgpu-cpu).");
        }
        var attribute = assembly.GetCustomAttribute<DeviceProviderAttribute>();
        if (attribute is null || !typeof(IDeviceProvider).IsAssignableFrom(attribute.ProviderType))
            return (null, $"{assembly.GetName().Name} {assembly.GetName().Version} does not declare a device provider; its version does not match Dendrite {typeof(BackendRegistry).Assembly.GetName().Version}.");
        try
        {
            return ((IDeviceProvider)Activator.CreateInstance(attribute.ProviderType)!, null);
        }
        catch (TargetInvocationException e)
        {
            return (null, $"{GpuAssemblyName} failed to start: {e.InnerException?.Message ?? e.Message}");
        }
    }
}

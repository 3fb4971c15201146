using Dendrite.Backends;
using Dendrite.Gpu.Backend;
using Dendrite.Gpu.Runtime;

[assembly: DeviceProvider(typeof(GpuDeviceProvider))]

namespace Dendrite.Gpu.Backend;

/// <summary>
/// What Dendrite.Gpu offers the core (found through <see cref="DeviceProviderAttribute"/> when a program first asks for
/// a non-CPU device): one <see cref="GpuBackend"/> per CUDA device and for <c>ilgpu-cpu</c>, and the device facts.
/// </summary>
internal sealed class GpuDeviceProvider : IDeviceProvider
{
    private readonly object _gate = new();
    private readonly Dictionary<Device, GpuBackend> _backends = [];

    public int CudaCount => GpuRuntime.CudaDeviceCount;

    public string? CudaUnavailableReason
    {
        get
        {
            var availability = GpuRuntime.CudaAvailability;
            if (!availability.Available)
                return availability.Reason;
            return GpuRuntime.CudaDeviceCount > 0 ? null : "no CUDA device is supported by ILGPU's PTX backend";
        }
    }

    public IBackend GetBackend(Device device)
    {
        lock (_gate)
        {
            if (_backends.TryGetValue(device, out var backend))
                return backend;
            var gpu = device.Type switch
            {
                DeviceType.IlgpuCpu => GpuRuntime.IlgpuCpu,
                DeviceType.Cuda => GpuRuntime.Cuda(device.Index),
                _ => throw new InvalidOperationException($"internal: {device} is not a GPU device."),
            };
            backend = new GpuBackend(device, gpu);
            _backends[device] = backend;
            return backend;
        }
    }

    public IReadOnlyList<DeviceInfo> Describe()
    {
        var list = new List<DeviceInfo>();
        var availability = GpuRuntime.CudaAvailability;
        if (availability.Available)
            foreach (var d in GpuRuntime.CudaDevices)
                list.Add(new DeviceInfo(Device.Cuda(d.Index), d.Name, d.ComputeCapability, d.TotalMemoryBytes, d.DriverVersion,
                    d.Supported ? $"{d.Multiprocessors} multiprocessors" : "not supported by ILGPU's PTX backend"));
        else
            list.Add(new DeviceInfo(Device.Cuda(0), "(none)", null, 0, null, "CUDA unavailable: " + availability.Reason));
        list.Add(new DeviceInfo(Device.IlgpuCpu, "ILGPU CPU accelerator (the GPU kernels emulated on the CPU)", null,
            GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, "ILGPU " + typeof(ILGPU.Context).Assembly.GetName().Version,
            "for tests: runs every GPU kernel without a GPU, slowly"));
        return list;
    }
}

using Dendrite.Backends;

namespace Dendrite;

/// <summary>
/// Where a tensor's elements live and its ops run, like <c>torch.device</c>: <see cref="Cpu"/>, <see cref="Cuda"/>
/// (an NVIDIA GPU) or <see cref="IlgpuCpu"/> (the GPU backend emulated on the CPU, for tests). Devices compare by
/// value; <see cref="ToString"/> prints PyTorch's spelling (<c>cpu</c>, <c>cuda:0</c>, <c>ilgpu-cpu</c>).
/// </summary>
public sealed class Device : IEquatable<Device>
{
    private Device(DeviceType type, int index)
    {
        Type = type;
        Index = index;
    }

    /// <summary>The host CPU.</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu, 0);

    /// <summary>The GPU backend running on ILGPU's CPU accelerator (tests the GPU code path without a GPU).</summary>
    public static Device IlgpuCpu { get; } = new(DeviceType.IlgpuCpu, 0);

    /// <summary>The CUDA GPU number <paramref name="index"/> (whether it exists is checked when it is first used).</summary>
    public static Device Cuda(int index = 0)
    {
        if (index < 0)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Device.Cuda: the device index must be non-negative, got {index}.");
        return index < CudaDevices.Length ? CudaDevices[index] : new Device(DeviceType.Cuda, index);
    }

    private static readonly Device[] CudaDevices = [new(DeviceType.Cuda, 0), new(DeviceType.Cuda, 1), new(DeviceType.Cuda, 2), new(DeviceType.Cuda, 3)];

    /// <summary>The kind of device.</summary>
    public DeviceType Type { get; }

    /// <summary>The device number within its kind (0 for the CPU and ilgpu-cpu).</summary>
    public int Index { get; }

    /// <summary>True for <see cref="DeviceType.Cpu"/>.</summary>
    public bool IsCpu => Type == DeviceType.Cpu;

    /// <summary>
    /// Whether a CUDA GPU can be used (like <c>torch.cuda.is_available()</c>): the Dendrite.Gpu assembly is referenced,
    /// the NVIDIA driver library loads and at least one supported GPU is present. Never throws; see
    /// <see cref="CudaUnavailableReason"/> for why not.
    /// </summary>
    public static bool CudaIsAvailable => BackendRegistry.Gpu?.CudaCount > 0;

    /// <summary>The number of usable CUDA GPUs (0 when CUDA is unavailable).</summary>
    public static int CudaCount => BackendRegistry.Gpu?.CudaCount ?? 0;

    /// <summary>Why CUDA is unavailable (missing package, driver library, device or architecture), or null when it is available.</summary>
    public static string? CudaUnavailableReason => BackendRegistry.Gpu is { } gpu
        ? gpu.CudaCount > 0 ? null : gpu.CudaUnavailableReason
        : BackendRegistry.GpuMissingReason;

    /// <summary>
    /// Every device this program can see: the CPU, then the CUDA GPUs and ilgpu-cpu when the Dendrite.Gpu package is
    /// referenced (a CUDA entry may carry a note saying why it cannot be used).
    /// </summary>
    public static IReadOnlyList<DeviceInfo> List()
    {
        var list = new List<DeviceInfo>
        {
            new(Cpu, CpuName(), null, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, null,
                $"{Environment.ProcessorCount} logical cores, {Threads.Count} used by kernels"),
        };
        if (BackendRegistry.Gpu is { } gpu)
            list.AddRange(gpu.Describe());
        return list;
    }

    private static string CpuName()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int colon and > 0)
                        return line[(colon + 1)..].Trim();
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>
    /// Parses <c>cpu</c>, <c>cuda</c> (= <c>cuda:0</c>), <c>cuda:N</c> or <c>ilgpu-cpu</c> (case-insensitive), as
    /// <c>torch.device("cuda:1")</c> does.
    /// </summary>
    /// <exception cref="FormatException">The text names no device.</exception>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParse(text, out var device))
            return device;
        throw new FormatException($"Device.Parse: '{text}' is not a device; expected cpu, cuda, cuda:N (N = 0, 1, ...) or ilgpu-cpu.");
    }

    /// <summary>Parses like <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse(string? text, out Device device)
    {
        device = Cpu;
        var s = text?.Trim().ToLowerInvariant();
        switch (s)
        {
            case null or "":
                return false;
            case "cpu":
                return true;
            case "ilgpu-cpu":
                device = IlgpuCpu;
                return true;
            case "cuda":
                device = Cuda(0);
                return true;
        }
        if (s.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(s.AsSpan(5), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out int index))
        {
            device = Cuda(index);
            return true;
        }
        return false;
    }

    /// <inheritdoc/>
    public bool Equals(Device? other) => other is not null && other.Type == Type && other.Index == Index;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Device d && Equals(d);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Type, Index);

    /// <summary>Value equality.</summary>
    public static bool operator ==(Device? a, Device? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Device? a, Device? b) => !(a == b);

    /// <summary><c>cpu</c>, <c>cuda:N</c> or <c>ilgpu-cpu</c>.</summary>
    public override string ToString() => Type switch
    {
        DeviceType.Cpu => "cpu",
        DeviceType.Cuda => $"cuda:{Index}",
        _ => "ilgpu-cpu",
    };
}

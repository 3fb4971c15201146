using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Dendrite.Gpu.Runtime;

/// <summary>
/// The process-wide GPU runtime: one lazily created ILGPU <see cref="Context"/> (CUDA devices plus the CPU
/// accelerator), CUDA availability that never throws, the CUDA device list, and the per-device
/// <see cref="GpuDevice"/> singletons (<c>cuda:N</c> and <c>ilgpu-cpu</c>).
/// </summary>
internal static class GpuRuntime
{
    /// <summary>The device name of the CPU-simulated GPU used for tests without a GPU.</summary>
    public const string IlgpuCpuName = "ilgpu-cpu";

    /// <summary>Threads per warp of <c>ilgpu-cpu</c>: the same as NVIDIA hardware, so shuffles behave alike.</summary>
    public const int CpuWarpSize = 32;

    /// <summary>Warps per group (and per simulated multiprocessor) of <c>ilgpu-cpu</c>: groups of up to 256 threads.</summary>
    public const int CpuWarpsPerGroup = 8;

    private static readonly object Gate = new();
    private static Context? _context;
    private static CudaAvailability? _availability;
    private static IReadOnlyList<CudaDeviceInfo>? _devices;
    private static GpuDevice? _ilgpuCpu;
    private static readonly Dictionary<int, GpuDevice> CudaDevicesByIndex = [];

    /// <summary>
    /// The ILGPU context, created on first use: CUDA devices (those ILGPU can target), O2 optimization, and
    /// ILGPU.Algorithms so <c>Math.*</c> calls in kernels compile for PTX without the toolkit's libdevice.
    /// </summary>
    public static Context Context
    {
        get
        {
            if (_context is { } c)
                return c;
            lock (Gate)
            {
                if (_context is null)
                {
                    // The resolver must be in place before ILGPU first touches its CUDA bindings.
                    CudaDriver.InstallResolver();
                    _context = Context.Create(builder => Configure(builder).Cuda());
                }
                return _context;
            }
        }
    }

    /// <summary>
    /// The kernel compiler settings every context of Dendrite uses (the runtime's and the PTX check's):
    /// O2 optimization and ILGPU.Algorithms' math intrinsics.
    /// </summary>
    public static Context.Builder Configure(Context.Builder builder) =>
        builder.Optimize(OptimizationLevel.O2).EnableAlgorithms();

    /// <summary>Whether CUDA is usable, with the reason when it is not. Never throws; computed once.</summary>
    public static CudaAvailability CudaAvailability
    {
        get
        {
            if (_availability is { } a)
                return a;
            lock (Gate)
            {
                _availability ??= ProbeCuda();
                return _availability.Value;
            }
        }
    }

    /// <summary>Number of CUDA devices Dendrite can use (0 when CUDA is unavailable).</summary>
    public static int CudaDeviceCount => CudaAvailability.Available ? CudaDevices.Count(d => d.Supported) : 0;

    /// <summary>Every CUDA device the driver reports, supported or not (empty when there is no driver). Never throws.</summary>
    public static IReadOnlyList<CudaDeviceInfo> CudaDevices
    {
        get
        {
            if (_devices is { } d)
                return d;
            lock (Gate)
            {
                _devices ??= ListCudaDevices();
                return _devices;
            }
        }
    }

    /// <summary>The shared <c>ilgpu-cpu</c> device (created on first use, lives for the process).</summary>
    public static GpuDevice IlgpuCpu
    {
        get
        {
            if (_ilgpuCpu is { } d)
                return d;
            lock (Gate)
            {
                _ilgpuCpu ??= CreateIlgpuCpu();
                return _ilgpuCpu;
            }
        }
    }

    /// <summary>
    /// A new, private <c>ilgpu-cpu</c> device (its own accelerator, allocator and kernel cache), which the caller
    /// disposes. Tests use it for kernels with 256-thread groups: ILGPU's CPU accelerator runs every thread of a
    /// group as an OS thread and wakes all threads ever started on each launch, so keeping the shared device's
    /// groups small keeps every later launch cheap.
    /// </summary>
    public static GpuDevice CreateIlgpuCpu()
    {
        // 32 threads per warp, 8 warps per group, 1 simulated multiprocessor: the NVIDIA-like configuration.
        // Parallel mode: group threads run truly in parallel (sequential mode hands a token from thread to
        // thread at every barrier and was 10-100x slower in our measurements).
        var device = new CPUDevice(CpuWarpSize, CpuWarpsPerGroup, numMultiprocessors: 1);
        var accelerator = device.CreateCPUAccelerator(Context, CPUAcceleratorMode.Parallel);
        return new GpuDevice(IlgpuCpuName, accelerator, isCpu: true);
    }

    /// <summary>The device <c>cuda:<paramref name="index"/></c>, created on first use.</summary>
    /// <exception cref="InvalidOperationException">CUDA is unavailable (with the reason) or the index is out of range.</exception>
    public static GpuDevice Cuda(int index = 0)
    {
        var availability = CudaAvailability;
        if (!availability.Available)
            throw new InvalidOperationException($"cuda:{index}: CUDA is not available: {availability.Reason}.");
        lock (Gate)
        {
            if (CudaDevicesByIndex.TryGetValue(index, out var existing))
                return existing;
            var devices = Context.GetCudaDevices();
            if (index < 0 || index >= devices.Count)
                throw new InvalidOperationException(
                    $"cuda:{index}: invalid device index; {devices.Count} CUDA device(s) are usable (cuda:0 ... cuda:{devices.Count - 1}).");
            var accelerator = devices[index].CreateCudaAccelerator(Context);
            var device = new GpuDevice($"cuda:{index}", accelerator, isCpu: false);
            CudaDevicesByIndex[index] = device;
            return device;
        }
    }

    /// <summary>Resolves a device name: <c>cuda</c>, <c>cuda:N</c> or <c>ilgpu-cpu</c>.</summary>
    /// <exception cref="ArgumentException">The name is none of these.</exception>
    public static GpuDevice Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == IlgpuCpuName)
            return IlgpuCpu;
        if (name == "cuda")
            return Cuda(0);
        if (name.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(name.AsSpan(5), out int index))
            return Cuda(index);
        throw new ArgumentException($"Unknown GPU device '{name}': expected 'cuda', 'cuda:N' or '{IlgpuCpuName}'.", nameof(name));
    }

    private static CudaAvailability ProbeCuda()
    {
        try
        {
            var (ok, detail, _) = CudaDriver.Probe();
            if (!ok)
                return new CudaAvailability(false, detail);
            var all = CudaDevices;
            if (all.Count == 0)
                return new CudaAvailability(false, $"{detail} is loaded but ILGPU found no CUDA device");
            if (!all.Any(d => d.Supported))
            {
                var first = all[0];
                return new CudaAvailability(false,
                    $"unsupported architecture: {first.Name} (compute {first.ComputeCapability}, driver {first.DriverVersion}) " +
                    "has no PTX instruction set that ILGPU 1.5.3 can target (needs compute capability 3.0+ and a driver that accepts PTX ISA 6.0+)");
            }
            return new CudaAvailability(true, detail);
        }
        catch (Exception e)
        {
            return new CudaAvailability(false, $"CUDA initialization failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private static IReadOnlyList<CudaDeviceInfo> ListCudaDevices()
    {
        try
        {
            if (!CudaDriver.Probe().Ok)
                return [];
            var supported = new HashSet<int>();
            foreach (var d in Context.GetCudaDevices())
                supported.Add(d.DeviceId);
            var list = new List<CudaDeviceInfo>();
            int index = 0;
            foreach (var device in CudaDevice.GetDevices(_ => true).OfType<CudaDevice>())
            {
                var arch = device.Architecture;
                bool ok = supported.Contains(device.DeviceId);
                list.Add(new CudaDeviceInfo(
                    ok ? index : -1,
                    device.Name,
                    arch?.Major ?? 0,
                    arch?.Minor ?? 0,
                    device.MemorySize,
                    $"{device.DriverVersion.Major}.{device.DriverVersion.Minor}",
                    device.NumMultiprocessors,
                    ok));
                if (ok)
                    index++;
            }
            return list;
        }
        catch (Exception)
        {
            return [];
        }
    }
}

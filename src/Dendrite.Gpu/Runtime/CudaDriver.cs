using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Dendrite.Gpu.Runtime;

/// <summary>
/// Finds and loads the NVIDIA driver library (<c>libcuda</c>) and probes it directly, so the reason CUDA is unavailable
/// can be told exactly instead of being swallowed by ILGPU.
/// </summary>
/// <remarks>
/// ILGPU binds the driver API with <c>DllImport("cuda")</c> on Linux. .NET's default probing turns that into
/// <c>libcuda.so</c>, <c>cuda.so</c>, <c>libcuda</c> and <c>cuda</c>, but many containers ship only the versioned
/// <c>libcuda.so.1</c> (the unversioned link belongs to the CUDA toolkit's development files). We therefore hook
/// <see cref="AssemblyLoadContext.ResolvingUnmanagedDll"/>, which runs only after the default probing failed, and
/// hand back the library we found ourselves. The event does not conflict with the
/// <see cref="NativeLibrary.SetDllImportResolver"/> that ILGPU installs under WSL (an assembly may have one resolver
/// only, so we do not install one).
/// </remarks>
internal static unsafe class CudaDriver
{
    // CUresult values the availability reason distinguishes (cuda.h).
    private const int CudaSuccess = 0;
    private const int CudaErrorNoDevice = 100;
    private const int CudaErrorInsufficientDriver = 35;

    private static readonly object Gate = new();
    private static volatile bool _probed;
    private static IntPtr _handle;
    private static string _loadedFrom = "";
    private static string _tried = "";
    private static bool _resolverInstalled;

    /// <summary>Library names tried in order, then the same names in the usual driver directories.</summary>
    internal static IReadOnlyList<string> CandidateNames =>
        OperatingSystem.IsWindows() ? ["nvcuda.dll"] : ["libcuda.so.1", "libcuda.so"];

    private static readonly string[] LinuxDirectories =
    [
        "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib",
        "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib", "/usr/lib/wsl/lib",
    ];

    /// <summary>The handle of the loaded driver library, or zero when none was found.</summary>
    internal static IntPtr Handle
    {
        get
        {
            EnsureProbed();
            return _handle;
        }
    }

    /// <summary>Where the driver library was loaded from ("" when not found).</summary>
    internal static string LoadedFrom
    {
        get
        {
            EnsureProbed();
            return _loadedFrom;
        }
    }

    /// <summary>Installs the unmanaged-library fallback for ILGPU's <c>DllImport("cuda")</c>; idempotent.</summary>
    internal static void InstallResolver()
    {
        lock (Gate)
        {
            if (_resolverInstalled)
                return;
            _resolverInstalled = true;
            AssemblyLoadContext.Default.ResolvingUnmanagedDll += Resolve;
        }
    }

    private static IntPtr Resolve(Assembly assembly, string name)
    {
        // ILGPU asks for "cuda" (Linux, macOS) or "nvcuda" (Windows); nothing else is ours to answer.
        if (assembly.GetName().Name != "ILGPU")
            return IntPtr.Zero;
        if (name is not ("cuda" or "nvcuda" or "libcuda" or "libcuda.so"))
            return IntPtr.Zero;
        return Handle;
    }

    private static void EnsureProbed()
    {
        if (_probed)
            return;
        lock (Gate)
        {
            if (_probed)
                return;
            (_handle, _loadedFrom, _tried) = Locate(DefaultCandidates());
            _probed = true;
        }
    }

    /// <summary>The bare library names first (the dynamic loader's search path), then the usual driver directories.</summary>
    internal static IEnumerable<string> DefaultCandidates()
    {
        foreach (string name in CandidateNames)
            yield return name;
        if (!OperatingSystem.IsLinux())
            yield break;
        foreach (string dir in LinuxDirectories)
        foreach (string name in CandidateNames)
            yield return Path.Combine(dir, name);
    }

    /// <summary>Loads the first loadable candidate; a path candidate that does not exist is skipped silently.</summary>
    /// <returns>The handle (zero when none loaded), the candidate that loaded, and the candidates tried.</returns>
    internal static (IntPtr Handle, string LoadedFrom, string Tried) Locate(IEnumerable<string> candidates)
    {
        var tried = new List<string>();
        foreach (string candidate in candidates)
        {
            if (Path.IsPathRooted(candidate) && !File.Exists(candidate))
                continue;
            tried.Add(candidate);
            if (TryLoad(candidate, out IntPtr handle))
                return (handle, candidate, string.Join(", ", tried));
        }
        return (IntPtr.Zero, "", string.Join(", ", tried));
    }

    private static bool TryLoad(string name, out IntPtr handle)
    {
        try
        {
            return NativeLibrary.TryLoad(name, out handle);
        }
        catch (Exception)
        {
            handle = IntPtr.Zero;
            return false;
        }
    }

    /// <summary>
    /// Probes the driver without ILGPU: library present, <c>cuInit</c> succeeds, at least one device. Never throws.
    /// </summary>
    /// <returns>(true, driver version text) when a device answered; otherwise false and the reason.</returns>
    internal static (bool Ok, string Detail, int DeviceCount) Probe()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsWindows()))
            return (false, $"CUDA is not supported on {RuntimeInformation.OSDescription}", 0);
        if (!Environment.Is64BitProcess)
            return (false, "CUDA needs a 64-bit process", 0);
        EnsureProbed();
        return ProbeLibrary(_handle, _loadedFrom, _tried);
    }

    /// <summary>Probes a loaded driver library: entry points, <c>cuInit</c>, version, device count. Never throws.</summary>
    internal static (bool Ok, string Detail, int DeviceCount) ProbeLibrary(IntPtr handle, string loadedFrom, string tried)
    {
        try
        {
            if (handle == IntPtr.Zero)
                return (false, $"no NVIDIA driver library found (tried {tried}); install the NVIDIA driver", 0);

            var cuInit = (delegate* unmanaged<uint, int>)Export(handle, "cuInit");
            var cuDriverGetVersion = (delegate* unmanaged<int*, int>)Export(handle, "cuDriverGetVersion");
            var cuDeviceGetCount = (delegate* unmanaged<int*, int>)Export(handle, "cuDeviceGetCount");
            if (cuInit == null || cuDriverGetVersion == null || cuDeviceGetCount == null)
                return (false, $"the driver library {loadedFrom} lacks the CUDA driver API entry points", 0);

            int rc = cuInit(0);
            if (rc == CudaErrorNoDevice)
                return (false, $"no CUDA device: the driver ({loadedFrom}) reports none (CUDA_ERROR_NO_DEVICE)", 0);
            if (rc == CudaErrorInsufficientDriver)
                return (false, $"the driver library {loadedFrom} does not match the loaded NVIDIA kernel driver (CUDA_ERROR_INSUFFICIENT_DRIVER)", 0);
            if (rc != CudaSuccess)
                return (false, $"cuInit failed with {ErrorName(handle, rc)} (driver library {loadedFrom})", 0);

            int version = 0, count = 0;
            rc = cuDriverGetVersion(&version);
            if (rc != CudaSuccess)
                return (false, $"cuDriverGetVersion failed with {ErrorName(handle, rc)}", 0);
            rc = cuDeviceGetCount(&count);
            if (rc != CudaSuccess)
                return (false, $"cuDeviceGetCount failed with {ErrorName(handle, rc)}", 0);
            if (count < 1)
                return (false, $"no CUDA device: the driver ({loadedFrom}, CUDA {version / 1000}.{version % 1000 / 10}) reports 0 devices", 0);
            return (true, $"CUDA driver {version / 1000}.{version % 1000 / 10} ({loadedFrom})", count);
        }
        catch (Exception e)
        {
            return (false, $"probing the CUDA driver failed: {e.GetType().Name}: {e.Message}", 0);
        }
    }

    private static IntPtr Export(IntPtr handle, string name) =>
        NativeLibrary.TryGetExport(handle, name, out IntPtr p) ? p : IntPtr.Zero;

    private static string ErrorName(IntPtr handle, int code)
    {
        var cuGetErrorName = (delegate* unmanaged<int, byte**, int>)Export(handle, "cuGetErrorName");
        byte* text = null;
        if (cuGetErrorName != null && cuGetErrorName(code, &text) == CudaSuccess && text != null)
            return $"{Marshal.PtrToStringAnsi((IntPtr)text)} ({code})";
        return $"CUresult {code}";
    }
}

namespace Dendrite.Cli.Training;

/// <summary>
/// The <c>--device</c> values of the CLI: <c>auto</c> (CUDA when available, else the CPU, as the course's
/// "cuda if available else cpu"), <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>ilgpu-cpu</c>.
/// </summary>
public static class DeviceChoice
{
    /// <summary>What the option accepts, for messages.</summary>
    public const string Forms = "auto, cpu, cuda, cuda:N or ilgpu-cpu";

    /// <summary>The device <paramref name="spec"/> names (auto resolved); call <see cref="Problem"/> first.</summary>
    public static Device Resolve(string spec)
    {
        if (string.Equals(spec.Trim(), "auto", StringComparison.OrdinalIgnoreCase))
            return Device.CudaIsAvailable ? Device.Cuda(0) : Device.Cpu;
        return Device.Parse(spec);
    }

    /// <summary>
    /// The device of one process of a distributed run: like <see cref="Resolve"/>, except that <c>auto</c> and
    /// <c>cuda</c> without an index give each process on a machine its own GPU, cuda:(local rank mod GPU count).
    /// </summary>
    public static Device ResolveForProcess(string spec, int localRank)
    {
        var device = Resolve(spec);
        string s = spec.Trim();
        bool anyGpu = string.Equals(s, "auto", StringComparison.OrdinalIgnoreCase) || string.Equals(s, "cuda", StringComparison.OrdinalIgnoreCase);
        return anyGpu && device.Type == DeviceType.Cuda && Device.CudaCount > 0 ? Device.Cuda(localRank % Device.CudaCount) : device;
    }

    /// <summary>Why <paramref name="spec"/> cannot be used here (not a device, CUDA unavailable, no such GPU), or null.</summary>
    public static string? Problem(string spec)
    {
        if (string.Equals(spec.Trim(), "auto", StringComparison.OrdinalIgnoreCase))
            return null;
        if (!Device.TryParse(spec, out var device))
            return $"not a device (use {Forms})";
        if (device.Type != DeviceType.Cuda)
            return null;
        if (!Device.CudaIsAvailable)
            return $"CUDA is not available here ({Device.CudaUnavailableReason}); use cpu or auto";
        return device.Index < Device.CudaCount ? null
            : $"no such GPU: this machine has {Device.CudaCount} CUDA device(s) (cuda:0 … cuda:{Device.CudaCount - 1})";
    }
}

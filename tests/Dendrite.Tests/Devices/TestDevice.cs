namespace Dendrite.Tests.Devices;

/// <summary>
/// The device the device-parametrized suites (PyTorch parity) run on: <c>DENDRITE_TEST_DEVICE</c> (cpu, cuda, cuda:N,
/// ilgpu-cpu), default cpu.
/// </summary>
public static class TestDevice
{
    /// <summary>The environment variable that names the device.</summary>
    public const string Variable = "DENDRITE_TEST_DEVICE";

    private static readonly Lazy<Device> Parsed = new(() =>
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text))
            return Device.Cpu;
        if (!Device.TryParse(text, out var device))
            throw new InvalidOperationException($"{Variable}='{text}' is not a device; use cpu, cuda, cuda:N or ilgpu-cpu.");
        return device;
    });

    /// <summary>The device under test.</summary>
    public static Device Current => Parsed.Value;

    /// <summary>
    /// The device the GPU suites run on: the device under test when it is a GPU kind (cuda on a GPU machine), else
    /// ilgpu-cpu, the GPU backend on the CPU.
    /// </summary>
    public static Device Gpu => Current.IsCpu ? Device.IlgpuCpu : Current;
}

using System.Reflection;
using Dendrite.Backends;
using Dendrite.Backends.Cpu;

namespace Dendrite.Tests.Devices;

/// <summary>
/// A second device for tests on a machine without a GPU: a backend that calls itself <c>ilgpu-cpu</c> and runs every
/// kernel of the CPU backend on storages of its own type. Its storage is not host memory, so any code path that reads
/// elements of such a tensor through <c>Span</c>/<c>Array</c> instead of the backend seam fails, as it would on a GPU;
/// results are bit-identical to the CPU's. Tensors reach it with <see cref="ToFake"/> (not through
/// <c>BackendRegistry</c>, which only knows real devices).
/// </summary>
internal static class FakeDevice
{
    /// <summary>The fake backend (a proxy of <see cref="IBackend"/> over <see cref="CpuBackend"/>).</summary>
    public static readonly IBackend Backend = FakeBackendProxy.Create();

    /// <summary>The device the fake backend reports.</summary>
    public static Device Device => Backend.Device;

    /// <summary>A copy of <paramref name="t"/> on the fake device (recorded by autograd like <c>Tensor.To</c>).</summary>
    public static Tensor ToFake(this Tensor t) => Dendrite.Ops.ToDeviceOp.Apply(t, Backend);

    /// <summary>Wraps the CPU storage it forwards to.</summary>
    internal sealed class FakeStorage(Storage inner) : Storage(FakeDevice.Backend, inner.DType, inner.Length)
    {
        public Storage Inner { get; } = inner;
    }
}

/// <summary>Forwards every <see cref="IBackend"/> call to the CPU backend, unwrapping fake storages on the way in and wrapping new ones on the way out.</summary>
internal class FakeBackendProxy : DispatchProxy
{
    public static IBackend Create() => DispatchProxy.Create<IBackend, FakeBackendProxy>();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == "get_Device")
            return Dendrite.Device.IlgpuCpu;
        var a = args ?? [];
        for (int i = 0; i < a.Length; i++)
            a[i] = Unwrap(a[i]);
        object? result;
        try
        {
            result = targetMethod.Invoke(CpuBackend.Instance, a);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
        return result is Storage s ? new FakeDevice.FakeStorage(s) : result;
    }

    private static object? Unwrap(object? arg) => arg switch
    {
        FakeDevice.FakeStorage s => s.Inner,
        StorageView v => Unwrap(v),
        StorageView[] vs => Array.ConvertAll(vs, Unwrap),
        MatrixOperand m => m with { Storage = Inner(m.Storage) },
        _ => arg,
    };

    private static StorageView Unwrap(StorageView v) => new(Inner(v.Storage), v.Shape, v.Strides, v.Offset, v.Numel, v.IsContiguous);

    private static Storage Inner(Storage s) => s is FakeDevice.FakeStorage f ? f.Inner : throw new InvalidOperationException(
        $"fake device: a kernel was given {s.DType} storage on {s.Device}, not on the fake device (the op did not check devices).");
}

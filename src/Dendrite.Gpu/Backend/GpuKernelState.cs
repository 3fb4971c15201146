using Dendrite.Backends;
using Dendrite.Gpu.Memory;

namespace Dendrite.Gpu.Backend;

/// <summary>
/// The GPU's <see cref="KernelState"/>: a device buffer a forward kernel leaves for its backward kernel, owned by the
/// state and given back to the caching allocator on <see cref="Dispose"/> (safe at any time: work already queued on
/// the device's one stream runs before any reuse of the block).
/// </summary>
internal abstract class GpuKernelState : KernelState
{
    private DeviceBuffer? _buffer;

    protected GpuKernelState(DeviceBuffer buffer) => _buffer = buffer;

    /// <summary>The device memory.</summary>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    public DeviceBuffer Buffer => Volatile.Read(ref _buffer) ?? throw new ObjectDisposedException(GetType().Name);

    public override void Dispose() => Interlocked.Exchange(ref _buffer, null)?.Dispose();

    /// <summary>The state as <typeparamref name="TState"/>; fails for state made by another backend or kernel.</summary>
    public static TState As<TState>(KernelState state, string op, Device device) where TState : GpuKernelState =>
        state as TState ?? throw new InvalidOperationException(
            $"internal: {op} on {device} was given {state.GetType().Name} where {typeof(TState).Name} was expected.");
}

/// <summary>The in-plane position of each max-pool window's maximum, int [P, OutH, OutW] on the device.</summary>
internal sealed class DevicePoolIndices(DeviceBuffer buffer) : GpuKernelState(buffer);

/// <summary>
/// One code byte per window of the fused Conv → ReLU → MaxPool(2) on the device, [N, O, OutH/2, OutW/2]: the offset
/// of the tap that passes the window's gradient (0..3), or 4 for none.
/// </summary>
internal sealed class DeviceReluPoolCodes(DeviceBuffer buffer) : GpuKernelState(buffer);

using Dendrite.Backends;
using Dendrite.Gpu.Memory;
using ILGPU;

namespace Dendrite.Gpu.Backend;

/// <summary>
/// Device memory holding a tensor's elements: a block of the device's caching allocator (Bool is stored as one byte
/// per element). It has no span: the host reaches it only through <see cref="IBackend.CopyToHost"/>. The block goes
/// back to the allocator when the autograd engine recycles the storage or, otherwise, when it is garbage collected.
/// </summary>
internal sealed class GpuStorage : Storage
{
    public GpuStorage(GpuBackend backend, DeviceBuffer buffer, DType dtype, int length)
        : base(backend, dtype, length)
    {
        Buffer = buffer;
    }

    /// <summary>The device memory.</summary>
    public DeviceBuffer Buffer { get; }

    /// <summary>All elements as <typeparamref name="T"/> (float, double, long, or byte for Bool).</summary>
    public ArrayView<T> View<T>() where T : unmanaged => Buffer.View<T>(0, Length);
}

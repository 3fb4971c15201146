using ILGPU;
using ILGPU.Runtime;

namespace Dendrite.Gpu.Memory;

/// <summary>
/// One driver allocation held by the caching allocator, of exactly one size class. The allocator keeps every block
/// it owns in a list, so the ILGPU buffer can never be finalized (and freed) behind the allocator's back.
/// </summary>
internal sealed class DeviceBlock(MemoryBuffer1D<byte, Stride1D.Dense> buffer, long sizeClass)
{
    /// <summary>The driver buffer.</summary>
    public MemoryBuffer1D<byte, Stride1D.Dense> Buffer { get; } = buffer;

    /// <summary>The block's size in bytes (its size class).</summary>
    public long SizeClass { get; } = sizeClass;

    /// <summary>The whole block as bytes.</summary>
    public ArrayView<byte> View => Buffer.View.AsContiguous();
}

using System.Runtime.CompilerServices;
using Dendrite.Gpu.Runtime;
using ILGPU;

namespace Dendrite.Gpu.Memory;

/// <summary>
/// Device memory owned by one object: a block of the caching allocator seen as <see cref="ByteLength"/> bytes.
/// <see cref="Dispose"/> returns the block at once; otherwise the finalizer queues it for reuse (it never calls the
/// driver and takes no lock). Work already queued on the device's stream that reads or writes the block finishes
/// before any later use of the block, because all work of a device is queued on its one stream.
/// </summary>
internal sealed class DeviceBuffer : IDisposable
{
    private readonly CachingAllocator _allocator;
    private DeviceBlock? _block;

    internal DeviceBuffer(CachingAllocator allocator, DeviceBlock block, long byteLength)
    {
        _allocator = allocator;
        _block = block;
        ByteLength = byteLength;
    }

    /// <summary>Returns the block to the allocator's queue when the owner was never disposed.</summary>
    ~DeviceBuffer()
    {
        var block = Interlocked.Exchange(ref _block, null);
        if (block is not null)
            _allocator.ReleaseFromFinalizer(block, ByteLength);
    }

    /// <summary>The device this memory lives on.</summary>
    public GpuDevice Device => _allocator.Device;

    /// <summary>The requested size in bytes (the block may be larger).</summary>
    public long ByteLength { get; }

    /// <summary>Whether the memory was returned by <see cref="Dispose"/>.</summary>
    public bool IsDisposed => Volatile.Read(ref _block) is null;

    /// <summary>The memory as <see cref="ByteLength"/> bytes.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public ArrayView<byte> Bytes => Block.View.SubView(0, ByteLength);

    /// <summary>The memory as elements of <typeparamref name="T"/> (<c>ByteLength / sizeof(T)</c> of them).</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public ArrayView<T> View<T>() where T : unmanaged =>
        Block.View.SubView(0, ByteLength / Unsafe.SizeOf<T>() * Unsafe.SizeOf<T>()).Cast<T>();

    /// <summary>Elements [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) as <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the buffer.</exception>
    public ArrayView<T> View<T>(long offset, long length) where T : unmanaged
    {
        long count = ByteLength / Unsafe.SizeOf<T>();
        if (offset < 0 || length < 0 || offset > count - length)
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"{Device.Name}: elements [{offset}, {offset + length}) of {typeof(T).Name} are outside a buffer of {count}.");
        return View<T>().SubView(offset, length);
    }

    private DeviceBlock Block => Volatile.Read(ref _block) ?? throw new ObjectDisposedException(nameof(DeviceBuffer),
        $"{_allocator.Device.Name}: device memory of {ByteLength} bytes was used after it was freed.");

    /// <summary>Returns the block to the allocator now.</summary>
    public void Dispose()
    {
        var block = Interlocked.Exchange(ref _block, null);
        if (block is null)
            return;
        _allocator.Release(block, ByteLength);
        GC.SuppressFinalize(this);
    }
}

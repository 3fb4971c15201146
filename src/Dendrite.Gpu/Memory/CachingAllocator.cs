using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Dendrite.Gpu.Runtime;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Dendrite.Gpu.Memory;

/// <summary>
/// A caching allocator in the manner of PyTorch's CUDA allocator: requests are rounded to a size class
/// (<see cref="SizeClasses"/>), freed blocks go to a per-class free list and are handed out again, and the driver is
/// called only on a miss. Nothing is given back to the driver in the hot loop, only by <see cref="EmptyCache"/> or
/// when an allocation fails.
/// </summary>
/// <remarks>
/// <para>Owners free memory from .NET finalizers (<see cref="DeviceBuffer"/>), so the free path is a lock-free
/// enqueue (<see cref="ReleaseFromFinalizer"/>); the queue is drained into the free lists by the next allocation.
/// Reuse is safe without events because every device has a single stream: work queued before the free runs before
/// work queued after the reuse.</para>
/// <para>Garbage collection. Unreachable owners hold device memory until the .NET GC finalizes them, and the GC does
/// not see device memory. So when the bytes handed out since the last forced collection exceed
/// <see cref="GcBudgetBytes"/> and the cache cannot serve a request, the allocator runs a full collection, waits
/// for finalizers and drains the queue before going to the driver. When the driver fails (out of memory, or
/// <see cref="ReservedLimitBytes"/> reached) it collects, retries the cache, empties the cache, retries the driver,
/// and only then throws <see cref="GpuOutOfMemoryException"/> naming the device, the request and the reserved bytes.</para>
/// </remarks>
internal sealed class CachingAllocator : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<long, Stack<DeviceBlock>> _free = [];
    private readonly HashSet<DeviceBlock> _owned = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentQueue<(DeviceBlock Block, long Bytes)> _finalized = new();
    private long _allocated, _reserved, _cached, _peakReserved;
    private long _hits, _misses, _driverFrees, _collections, _live;
    private long _allocatedAtLastCollect;
    private bool _disposed;

    /// <summary>Creates the allocator of <paramref name="device"/>.</summary>
    public CachingAllocator(GpuDevice device)
    {
        Device = device;
        long memory = device.MemoryBytes;
        GcBudgetBytes = device.IsCpu ? 256L << 20 : Math.Max(256L << 20, memory / 8);
        ReservedLimitBytes = device.IsCpu ? Math.Max(1L << 30, memory / 2) : long.MaxValue;
    }

    /// <summary>The device whose memory this allocator manages.</summary>
    public GpuDevice Device { get; }

    /// <summary>
    /// Growth of handed-out bytes since the last forced collection beyond which a cache miss first runs the GC
    /// (so unreachable owners give their blocks back before the driver is asked for more).
    /// </summary>
    public long GcBudgetBytes { get; set; }

    /// <summary>
    /// The most bytes this allocator reserves from the driver; beyond it an allocation behaves as out of memory.
    /// Unlimited on CUDA (the driver decides); half the host memory on <c>ilgpu-cpu</c>. Tests lower it.
    /// </summary>
    public long ReservedLimitBytes { get; set; }

    /// <summary>Allocates room for <paramref name="count"/> elements of <typeparamref name="T"/>.</summary>
    public DeviceBuffer Allocate<T>(long count) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Allocate(checked(count * Unsafe.SizeOf<T>()));
    }

    /// <summary>Allocates <paramref name="bytes"/> bytes (contents undefined).</summary>
    /// <exception cref="GpuOutOfMemoryException">The device has no room even after collecting and emptying the cache.</exception>
    public DeviceBuffer Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        long size = SizeClasses.Round(bytes);
        DeviceBlock? block;
        bool collect;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DrainFinalized();
            block = TakeFree(size);
            collect = block is null && _allocated + size - _allocatedAtLastCollect > GcBudgetBytes;
        }
        if (block is null && collect)
        {
            Collect();
            lock (_gate)
                block = TakeFree(size);
        }
        block ??= AllocateFromDriver(size, bytes);
        return new DeviceBuffer(this, block, bytes);
    }

    // A cached block of the class, counted as a hit; null on a miss. Caller holds the lock.
    private DeviceBlock? TakeFree(long size)
    {
        if (!_free.TryGetValue(size, out var stack) || stack.Count == 0)
            return null;
        var block = stack.Pop();
        _cached -= size;
        _allocated += size;
        _live++;
        _hits++;
        return block;
    }

    private DeviceBlock AllocateFromDriver(long size, long requested)
    {
        Exception? failure;
        if (TryDriver(size, out var block, out failure))
            return block;

        // Out of memory: let unreachable owners give their blocks back, then try the cache again.
        Collect();
        lock (_gate)
        {
            var cached = TakeFree(size);
            if (cached is not null)
                return cached;
        }
        // Then give every cached block of other classes back to the driver and ask once more.
        EmptyCache();
        if (TryDriver(size, out block, out failure))
            return block;

        var stats = Stats;
        throw new GpuOutOfMemoryException(
            $"{Device.Name}: out of device memory allocating {Format(requested)} (block {Format(size)}); " +
            $"{Format(stats.ReservedBytes)} reserved by the caching allocator, {Format(stats.AllocatedBytes)} of it in use " +
            $"by {stats.LiveBuffers} live buffers, after a garbage collection and emptying the cache" +
            (ReservedLimitBytes < long.MaxValue ? $" (reserve limit {Format(ReservedLimitBytes)})." : "."),
            failure);
    }

    private bool TryDriver(long size, out DeviceBlock block, out Exception? failure)
    {
        block = null!;
        failure = null;
        lock (_gate)
        {
            if (_reserved + size > ReservedLimitBytes)
                return false;
        }
        try
        {
            Device.Accelerator.Bind();
            var buffer = Device.Accelerator.Allocate1D<byte>(size);
            block = new DeviceBlock(buffer, size);
        }
        catch (Exception e) when (IsOutOfMemory(e))
        {
            failure = e;
            return false;
        }
        lock (_gate)
        {
            _owned.Add(block);
            _reserved += size;
            _allocated += size;
            _live++;
            _misses++;
            _peakReserved = Math.Max(_peakReserved, _reserved);
        }
        return true;
    }

    private static bool IsOutOfMemory(Exception e) =>
        e is OutOfMemoryException or InsufficientMemoryException
        || e is CudaException { Error: nameof(CudaError.CUDA_ERROR_OUT_OF_MEMORY) };

    /// <summary>Full blocking collection, wait for finalizers, then move their blocks to the free lists.</summary>
    private void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        lock (_gate)
        {
            DrainFinalized();
            _collections++;
            _allocatedAtLastCollect = _allocated;
        }
    }

    // Caller holds the lock.
    private void DrainFinalized()
    {
        while (_finalized.TryDequeue(out var item))
            PushFree(item.Block);
    }

    // Caller holds the lock.
    private void PushFree(DeviceBlock block)
    {
        if (_disposed)
            return;
        if (!_free.TryGetValue(block.SizeClass, out var stack))
            _free[block.SizeClass] = stack = new Stack<DeviceBlock>();
        stack.Push(block);
        _allocated -= block.SizeClass;
        _cached += block.SizeClass;
        _live--;
    }

    /// <summary>Returns a block from <see cref="DeviceBuffer.Dispose"/> straight to its free list.</summary>
    internal void Release(DeviceBlock block, long bytes)
    {
        lock (_gate)
            PushFree(block);
    }

    /// <summary>Queues a block from a finalizer: lock-free, no driver call; drained by the next allocation.</summary>
    internal void ReleaseFromFinalizer(DeviceBlock block, long bytes) => _finalized.Enqueue((block, bytes));

    /// <summary>Gives every cached (free) block back to the driver; blocks in use are untouched.</summary>
    public void EmptyCache()
    {
        List<DeviceBlock> release;
        lock (_gate)
        {
            DrainFinalized();
            release = _free.Values.SelectMany(s => s).ToList();
            _free.Clear();
            foreach (var block in release)
            {
                _owned.Remove(block);
                _reserved -= block.SizeClass;
                _cached -= block.SizeClass;
                _driverFrees++;
            }
        }
        if (release.Count == 0)
            return;
        // The blocks may still be read or written by queued work: wait before the driver frees them.
        Device.Synchronize();
        foreach (var block in release)
            block.Buffer.Dispose();
    }

    /// <summary>The counters, after draining blocks queued by finalizers.</summary>
    public AllocatorStats Stats
    {
        get
        {
            lock (_gate)
            {
                DrainFinalized();
                return new AllocatorStats(_allocated, _reserved, _cached, _peakReserved, _hits, _misses, _driverFrees,
                    _collections, _live);
            }
        }
    }

    /// <summary>Frees every block (the device is going away); buffers still alive become unusable.</summary>
    public void Dispose()
    {
        List<DeviceBlock> all;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            all = [.. _owned];
            _owned.Clear();
            _free.Clear();
        }
        foreach (var block in all)
            block.Buffer.Dispose();
    }

    private static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F2} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} bytes",
    };
}

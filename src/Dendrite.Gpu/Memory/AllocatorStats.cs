namespace Dendrite.Gpu.Memory;

/// <summary>A snapshot of a caching allocator's counters (bytes are size-class bytes).</summary>
/// <param name="AllocatedBytes">Bytes in blocks handed out and not yet returned.</param>
/// <param name="ReservedBytes">Bytes held from the driver: allocated plus cached.</param>
/// <param name="CachedBytes">Bytes in free blocks waiting for reuse.</param>
/// <param name="PeakReservedBytes">The largest <paramref name="ReservedBytes"/> so far.</param>
/// <param name="Hits">Allocations served from the cache.</param>
/// <param name="Misses">Allocations that went to the driver.</param>
/// <param name="DriverFrees">Blocks given back to the driver (by <c>EmptyCache</c> or before a retry).</param>
/// <param name="GcCollections">Forced garbage collections (budget exceeded or out of memory).</param>
/// <param name="LiveBuffers">Buffers handed out and not yet returned.</param>
internal readonly record struct AllocatorStats(
    long AllocatedBytes,
    long ReservedBytes,
    long CachedBytes,
    long PeakReservedBytes,
    long Hits,
    long Misses,
    long DriverFrees,
    long GcCollections,
    long LiveBuffers);

using System.Runtime.CompilerServices;
using Dendrite.Gpu.Memory;
using Dendrite.Gpu.Runtime;

namespace Dendrite.Tests.Gpu;

[Trait("Category", "Gpu")]
public sealed class CachingAllocatorTests
{
    [Theory]
    [InlineData(0, 512)]
    [InlineData(1, 512)]
    [InlineData(512, 512)]
    [InlineData(513, 1024)]
    [InlineData(1 << 20, 1 << 20)]
    [InlineData((1 << 20) + 1, 5 << 18)]          // 1.25 MiB
    [InlineData(3 << 20, 3 << 20)]                // 3 MiB = 1.5 · 2 MiB
    [InlineData((5 << 20) + 7, 6 << 20)]          // quarter octaves of 4 MiB: 5, 6, 7, 8 MiB
    [InlineData((32 << 20) + 1, 34 << 20)]        // above 32 MiB: 2 MiB steps
    public void RequestsRoundToTheirSizeClass(long bytes, long expected) => Assert.Equal(expected, SizeClasses.Round(bytes));

    [Fact]
    public void FreedBlocksAreReusedWithoutTheDriver()
    {
        using var device = GpuRuntime.CreateIlgpuCpu();
        var allocator = device.Allocator;
        var first = allocator.Allocate<float>(1000);      // 4000 B -> class 4096
        Assert.Equal(4096, allocator.Stats.AllocatedBytes);
        first.Dispose();
        var stats = allocator.Stats;
        Assert.Equal(0, stats.AllocatedBytes);
        Assert.Equal(4096, stats.CachedBytes);
        Assert.Equal(4096, stats.ReservedBytes);

        var second = allocator.Allocate<double>(510);     // 4080 B -> same class
        stats = allocator.Stats;
        Assert.Equal(1, stats.Hits);
        Assert.Equal(1, stats.Misses);
        Assert.Equal(4096, stats.ReservedBytes);
        Assert.Equal(510, second.View<double>().Length);
        Assert.Equal(4080, second.ByteLength);

        var third = allocator.Allocate<byte>(100_000);    // another class: a miss
        Assert.Equal(2, allocator.Stats.Misses);
        second.Dispose();
        third.Dispose();
        allocator.EmptyCache();
        stats = allocator.Stats;
        Assert.Equal(0, stats.ReservedBytes);
        Assert.Equal(0, stats.CachedBytes);
        Assert.Equal(2, stats.DriverFrees);
        Assert.Throws<ObjectDisposedException>(() => third.View<byte>());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AllocateAndDrop(CachingAllocator allocator, int count, long bytes)
    {
        for (int i = 0; i < count; i++)
            allocator.Allocate(bytes);
    }

    [Fact]
    public void FinalizedOwnersReturnTheirBlocksThroughTheQueue()
    {
        using var device = GpuRuntime.CreateIlgpuCpu();
        var allocator = device.Allocator;
        AllocateAndDrop(allocator, 8, 64 << 10);
        Assert.Equal(8, allocator.Stats.LiveBuffers);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var stats = allocator.Stats;    // drains the finalizer queue
        Assert.Equal(0, stats.LiveBuffers);
        Assert.Equal(0, stats.AllocatedBytes);
        Assert.Equal(8L * (64 << 10), stats.CachedBytes);
        using var again = allocator.Allocate(64 << 10);
        Assert.Equal(1, allocator.Stats.Hits);
    }

    [Fact]
    public void BudgetExceededRunsTheCollectorBeforeTheDriver()
    {
        using var device = GpuRuntime.CreateIlgpuCpu();
        var allocator = device.Allocator;
        allocator.GcBudgetBytes = 1 << 20;
        // 64 KiB blocks dropped without Dispose: after 16 the budget is spent, the next miss collects and reuses.
        AllocateAndDrop(allocator, 64, 64 << 10);
        var stats = allocator.Stats;
        Assert.True(stats.GcCollections >= 1, $"collections {stats.GcCollections}");
        Assert.True(stats.Hits >= 1, $"hits {stats.Hits}");
        Assert.True(stats.ReservedBytes <= 2 << 20, $"reserved {stats.ReservedBytes}");
    }

    [Fact]
    public void OutOfMemoryCollectsRetriesAndThenFailsClearly()
    {
        using var device = GpuRuntime.CreateIlgpuCpu();
        var allocator = device.Allocator;
        allocator.ReservedLimitBytes = 4 << 20;
        allocator.GcBudgetBytes = long.MaxValue;
        // Unreachable 1 MiB owners fill the limit; the fifth allocation must collect them and reuse a block.
        AllocateAndDrop(allocator, 4, 1 << 20);
        using (var reused = allocator.Allocate(1 << 20))
            Assert.True(allocator.Stats.GcCollections >= 1);

        // A different class: the cached 1 MiB blocks are given back to the driver to make room.
        using (var other = allocator.Allocate(3 << 20))
            Assert.True(allocator.Stats.DriverFrees >= 1);

        // Live buffers that cannot be freed: a clear error naming the device and the sizes.
        var held = new[] { allocator.Allocate(2 << 20), allocator.Allocate(2 << 20) };
        var e = Assert.Throws<GpuOutOfMemoryException>(() => allocator.Allocate(1 << 20));
        Assert.Contains("ilgpu-cpu", e.Message);
        Assert.Contains("1.00 MiB", e.Message);
        Assert.Contains("4.00 MiB reserved", e.Message);
        GC.KeepAlive(held);
    }
}

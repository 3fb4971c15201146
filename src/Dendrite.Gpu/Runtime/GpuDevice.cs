using Dendrite.Gpu.Memory;
using ILGPU;
using ILGPU.Runtime;

namespace Dendrite.Gpu.Runtime;

/// <summary>
/// One accelerator as Dendrite uses it: the ILGPU accelerator, its default stream (every launch and copy is queued
/// there, so work runs in issue order and the host waits only when it reads), the caching allocator, the kernel
/// cache, and launch helpers that pick group sizes suited to the hardware.
/// </summary>
/// <remarks>
/// Launch shapes. On CUDA, 1-D grid-stride kernels use 256-thread groups and at most as many groups as the GPU can
/// keep resident. On ILGPU's CPU accelerator every thread of a group is an OS thread and a launch wakes every thread
/// the accelerator has ever started, so the CPU shapes are the smallest that still exercise the same code: one warp
/// (32 threads) for grid-stride kernels and two warps for block reductions (so the cross-warp step runs too).
/// </remarks>
internal sealed partial class GpuDevice : IDisposable
{
    private readonly KernelCache _kernels;
    private bool _disposed;

    /// <summary>Wraps <paramref name="accelerator"/>; the device owns and disposes it.</summary>
    internal GpuDevice(string name, Accelerator accelerator, bool isCpu)
    {
        Name = name;
        Accelerator = accelerator;
        IsCpu = isCpu;
        WarpSize = accelerator.WarpSize;
        MaxGroupSize = accelerator.MaxNumThreadsPerGroup;
        Multiprocessors = Math.Max(1, accelerator.NumMultiprocessors);
        LinearGroupSize = isCpu ? WarpSize : Math.Min(256, MaxGroupSize);
        ReductionGroupSize = isCpu ? 2 * WarpSize : Math.Min(256, MaxGroupSize);
        // Resident groups: threads per multiprocessor / group size, per multiprocessor. On the CPU accelerator the
        // groups of one launch run one after another on the same threads, so more than one group only adds overhead.
        MaxLinearGroups = isCpu
            ? 1
            : Math.Max(1, Multiprocessors * Math.Max(1, accelerator.MaxNumThreadsPerMultiprocessor / LinearGroupSize));
        _kernels = new KernelCache(accelerator, name);
        Allocator = new CachingAllocator(this);
    }

    /// <summary>The device name: <c>cuda:N</c> or <c>ilgpu-cpu</c>.</summary>
    public string Name { get; }

    /// <summary>The ILGPU accelerator.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The stream every launch and copy of this device is queued on.</summary>
    public AcceleratorStream Stream => Accelerator.DefaultStream;

    /// <summary>Whether this is ILGPU's CPU accelerator (<c>ilgpu-cpu</c>).</summary>
    public bool IsCpu { get; }

    /// <summary>Threads per warp (32 on NVIDIA hardware and on <c>ilgpu-cpu</c>).</summary>
    public int WarpSize { get; }

    /// <summary>The largest group (thread block) the accelerator accepts.</summary>
    public int MaxGroupSize { get; }

    /// <summary>Number of multiprocessors (SMs on CUDA).</summary>
    public int Multiprocessors { get; }

    /// <summary>Threads per group for 1-D grid-stride launches.</summary>
    public int LinearGroupSize { get; }

    /// <summary>Threads per group for block reductions (a multiple of the warp size).</summary>
    public int ReductionGroupSize { get; }

    /// <summary>The most groups a 1-D grid-stride launch uses.</summary>
    public int MaxLinearGroups { get; }

    /// <summary>The caching allocator of this device.</summary>
    public CachingAllocator Allocator { get; }

    /// <summary>Total device memory in bytes (for the CPU accelerator: what the host can give).</summary>
    public long MemoryBytes => IsCpu ? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes : Accelerator.MemorySize;

    /// <summary>Waits until every launch and copy queued on <see cref="Stream"/> has finished.</summary>
    public void Synchronize()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Accelerator.Bind();
        Stream.Synchronize();
    }

    /// <summary>
    /// A 1-D grid-stride configuration for <paramref name="n"/> independent items: kernels loop
    /// <c>for (i = Grid.GlobalLinearIndex; i &lt; n; i += Grid.DimX·Group.DimX)</c>, so any grid size is correct.
    /// </summary>
    public KernelConfig GridStride(long n)
    {
        long groups = Math.Clamp((n + LinearGroupSize - 1) / LinearGroupSize, 1, MaxLinearGroups);
        return new KernelConfig((int)groups, LinearGroupSize);
    }

    /// <summary>An explicitly grouped configuration: <paramref name="groups"/> groups of <paramref name="groupSize"/> threads.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The group is larger than the device allows or the grid is empty.</exception>
    public KernelConfig Grouped(long groups, int groupSize)
    {
        if (groupSize < 1 || groupSize > MaxGroupSize)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize,
                $"{Name}: a group of {groupSize} threads is outside 1..{MaxGroupSize}.");
        if (groups < 1 || groups > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"{Name}: a grid of {groups} groups is outside 1..{int.MaxValue}.");
        return new KernelConfig((int)groups, groupSize);
    }

    /// <summary>
    /// An explicitly grouped configuration with <paramref name="dynamicSharedElements"/> elements of
    /// <typeparamref name="TShared"/> of dynamic shared memory per group (read in the kernel with
    /// <c>SharedMemory.GetDynamic&lt;TShared&gt;()</c>); static <c>SharedMemory.Allocate</c> needs no configuration.
    /// </summary>
    public KernelConfig Grouped<TShared>(long groups, int groupSize, int dynamicSharedElements) where TShared : unmanaged
    {
        var plain = Grouped(groups, groupSize);
        return new KernelConfig(plain.GridDim, plain.GroupDim, SharedMemoryConfig.RequestDynamic<TShared>(dynamicSharedElements));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        Accelerator.Bind();
        Stream.Synchronize();
        Allocator.Dispose();
        Accelerator.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

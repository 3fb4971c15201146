using ILGPU;

namespace Dendrite.Gpu.Kernels.Elementwise;

/// <summary>
/// Copies between an N-d strided view and a dense buffer (row-major), the building blocks of <c>contiguous()</c>,
/// transposes, slicing and broadcasting reads. Grid-stride over the dense side, so writes (gather) or reads
/// (scatter) of neighbouring threads are coalesced.
/// </summary>
internal static class StridedKernels
{
    /// <summary>dense[i] = source[layout.OffsetOf(i)] for i in [0, n).</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double)), KernelInstance(typeof(long)), KernelInstance(typeof(byte))]
    public static void Gather<T>(ArrayView<T> source, StridedLayout layout, ArrayView<T> dense, long n) where T : unmanaged
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
            dense[i] = source[layout.OffsetOf(i)];
    }

    /// <summary>target[layout.OffsetOf(i)] = dense[i] for i in [0, n); the layout must not map two positions to one element.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double)), KernelInstance(typeof(long)), KernelInstance(typeof(byte))]
    public static void Scatter<T>(ArrayView<T> dense, ArrayView<T> target, StridedLayout layout, long n) where T : unmanaged
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
            target[layout.OffsetOf(i)] = dense[i];
    }
}

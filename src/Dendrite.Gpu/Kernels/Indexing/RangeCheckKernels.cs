using Dendrite.Gpu.Kernels.Elementwise;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Indexing;

/// <summary>
/// The first element of an Int64 view outside [0, size): a min-reduction of the offending row-major positions
/// (atomic min into one slot, so the result is exact whatever the order), then the value at that position.
/// </summary>
internal static class RangeCheckKernels
{
    /// <summary>
    /// result[0] = min(result[0], p) for every p &lt; n whose element x[layout.OffsetOf(p)] is outside [0, size);
    /// result[0] starts at long.MaxValue.
    /// </summary>
    [GpuKernel]
    public static void FirstOutside(ArrayView<long> x, StridedLayout layout, long n, long size, ArrayView<long> result)
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long p = Grid.GlobalIndex.X; p < n; p += stride)
        {
            if ((ulong)x[layout.OffsetOf(p)] >= (ulong)size)
            {
                Atomic.Min(ref result[0], p);
                return;     // later positions of this thread are larger
            }
        }
    }

    /// <summary>result[1] = the element at position result[0] when one was found (one thread).</summary>
    [GpuKernel]
    public static void ValueAt(ArrayView<long> x, StridedLayout layout, ArrayView<long> result)
    {
        if (Grid.GlobalIndex.X == 0 && result[0] != long.MaxValue)
            result[1] = x[layout.OffsetOf(result[0])];
    }
}

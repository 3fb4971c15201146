using ILGPU;

namespace Dendrite.Gpu.Kernels.Reductions;

/// <summary>The backward of an arg reduction: the gradient of each (o, i) routed to the position its index chose.</summary>
internal static class ArgScatterKernels
{
    /// <summary>
    /// gx[o, k, i] = g[o, i] where indices[o, i] = k, else 0, for dense gx [outer, r, inner]: every element written
    /// once (no separate zeroing, no atomics).
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void Scatter<T>(ArrayView<T> g, ArrayView<long> indices, ArrayView<T> gx, int r, int inner, int n) where T : unmanaged
    {
        int stride = Grid.DimX * Group.DimX;
        int block = r * inner;
        for (int p = Grid.GlobalIndex.X; p < n; p += stride)
        {
            int o = p / block, rest = p - o * block;
            int k = rest / inner, q = o * inner + (rest - k * inner);
            gx[p] = indices[q] == k ? g[q] : default;
        }
    }
}

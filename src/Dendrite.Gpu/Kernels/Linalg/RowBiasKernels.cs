using ILGPU;

namespace Dendrite.Gpu.Kernels.Linalg;

/// <summary>The bias rows of a GEMM with a row bias: C is filled with the bias, then the GEMM accumulates onto it (beta = 1).</summary>
internal static class RowBiasKernels
{
    /// <summary>c[p] = bias[p mod n] for p &lt; total (the rows of a dense [total / n, n] block).</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void FillRows<T>(ArrayView<T> bias, ArrayView<T> c, int n, int total) where T : unmanaged
    {
        int stride = Grid.DimX * Group.DimX;
        for (int p = Grid.GlobalIndex.X; p < total; p += stride)
            c[p] = bias[p % n];
    }
}

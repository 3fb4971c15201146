using ILGPU;

namespace Dendrite.Gpu.Kernels.Elementwise;

/// <summary>
/// Same-shape elementwise kernels over dense views, all grid-stride loops: thread g of a grid of G threads handles
/// elements g, g + G, g + 2G, ... (coalesced: neighbouring threads touch neighbouring elements), so the launch shape
/// (<see cref="Runtime.GpuDevice.GridStride"/>) never affects the result.
/// </summary>
internal static class ElementwiseKernels
{
    /// <summary>y[i] = value for i in [0, n).</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double)), KernelInstance(typeof(long)), KernelInstance(typeof(byte))]
    public static void Fill<T>(ArrayView<T> y, long n, T value) where T : unmanaged
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
            y[i] = value;
    }

    /// <summary>y[i] = op(x[i]) for i in [0, n); x and y may be the same view.</summary>
    [GpuKernel]
    public static void Map<TIn, TOut, TOp>(ArrayView<TIn> x, ArrayView<TOut> y, long n, TOp op)
        where TIn : unmanaged where TOut : unmanaged where TOp : struct, IMapOp<TIn, TOut>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
            y[i] = op.Apply(x[i]);
    }

    /// <summary>y[i] = op(a[i], b[i]) for i in [0, n); y may alias a or b.</summary>
    [GpuKernel]
    public static void Zip<TA, TB, TOut, TOp>(ArrayView<TA> a, ArrayView<TB> b, ArrayView<TOut> y, long n, TOp op)
        where TA : unmanaged where TB : unmanaged where TOut : unmanaged where TOp : struct, IZipOp<TA, TB, TOut>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
            y[i] = op.Apply(a[i], b[i]);
    }
}

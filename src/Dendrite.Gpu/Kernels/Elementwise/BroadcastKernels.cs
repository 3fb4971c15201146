using ILGPU;

namespace Dendrite.Gpu.Kernels.Elementwise;

/// <summary>
/// The kernels of IBackend.Binary, Compare and Where: a dense output written in one grid-stride pass (coalesced
/// writes), each operand read through a <see cref="BroadcastLayout"/> (strided, broadcast or scalar), or through
/// plain positions when all are dense and of the output's size.
/// </summary>
internal static class BroadcastKernels
{
    /// <summary>y[i] = op(a[i], b[i]) for i &lt; n over dense views; y may be a (an in-place update).</summary>
    [GpuKernel]
    public static void Dense<T, TOut, TOp>(ArrayView<T> a, ArrayView<T> b, ArrayView<TOut> y, int n, TOp op)
        where T : unmanaged where TOut : unmanaged where TOp : struct, IBroadcastOp<T, TOut>
    {
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < n; i += stride)
            y[i] = op.Apply(a[i], b[i]);
    }

    /// <summary>y[i] = op(a[A(i)], b[B(i)]) for i &lt; n, with A and B the layout's operand offsets.</summary>
    [GpuKernel]
    public static void Strided<T, TOut, TOp>(ArrayView<T> a, ArrayView<T> b, ArrayView<TOut> y, BroadcastLayout layout, int n, TOp op)
        where T : unmanaged where TOut : unmanaged where TOp : struct, IBroadcastOp<T, TOut>
    {
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            var at = layout.OffsetsOf(i);
            y[i] = op.Apply(a[at.A], b[at.B]);
        }
    }

    /// <summary>y[i] = condition[C(i)] ≠ 0 ? a[A(i)] : b[B(i)] for i &lt; n (condition: bool bytes, layout operand C).</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double)), KernelInstance(typeof(long)), KernelInstance(typeof(byte))]
    public static void Where<T>(ArrayView<byte> condition, ArrayView<T> a, ArrayView<T> b, ArrayView<T> y, BroadcastLayout layout, int n)
        where T : unmanaged
    {
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            var at = layout.OffsetsOf(i);
            y[i] = condition[at.C] != 0 ? a[at.A] : b[at.B];
        }
    }
}

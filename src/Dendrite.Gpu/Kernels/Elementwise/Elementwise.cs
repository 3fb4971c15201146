using Dendrite.Gpu.Runtime;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Elementwise;

/// <summary>Host entry points of the elementwise kernels: validate, then queue one launch on the device's stream.</summary>
internal static class Elementwise
{
    /// <summary>Queues y[i] = op(x[i]) over equal-length dense views.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Map<TIn, TOut, TOp>(GpuDevice device, ArrayView<TIn> x, ArrayView<TOut> y, TOp op)
        where TIn : unmanaged where TOut : unmanaged where TOp : struct, IMapOp<TIn, TOut>
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"{device.Name}: {typeof(TOp).Name}: input has {x.Length} elements, output {y.Length}.");
        if (x.Length == 0)
            return;
        device.Kernel<ArrayView<TIn>, ArrayView<TOut>, long, TOp>(ElementwiseKernels.Map)(
            device.Stream, device.GridStride(x.Length), x, y, x.Length, op);
    }

    /// <summary>Queues y[i] = op(a[i], b[i]) over equal-length dense views.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Zip<TA, TB, TOut, TOp>(GpuDevice device, ArrayView<TA> a, ArrayView<TB> b, ArrayView<TOut> y, TOp op)
        where TA : unmanaged where TB : unmanaged where TOut : unmanaged where TOp : struct, IZipOp<TA, TB, TOut>
    {
        if (a.Length != b.Length || a.Length != y.Length)
            throw new ArgumentException(
                $"{device.Name}: {typeof(TOp).Name}: operands have {a.Length} and {b.Length} elements, output {y.Length}.");
        if (a.Length == 0)
            return;
        device.Kernel<ArrayView<TA>, ArrayView<TB>, ArrayView<TOut>, long, TOp>(ElementwiseKernels.Zip)(
            device.Stream, device.GridStride(a.Length), a, b, y, a.Length, op);
    }

    /// <summary>Queues dense = the strided view (sizes, strides, offset) of <paramref name="source"/>, row-major.</summary>
    /// <exception cref="ArgumentException">Bad layout, or it reaches outside <paramref name="source"/>, or the dense length differs.</exception>
    public static void Gather<T>(GpuDevice device, ArrayView<T> source, ReadOnlySpan<long> sizes, ReadOnlySpan<long> strides,
        long offset, ArrayView<T> dense) where T : unmanaged
    {
        long n = CheckLayout(device, "Gather", source.Length, sizes, strides, offset, dense.Length);
        if (n == 0)
            return;
        device.Kernel<ArrayView<T>, StridedLayout, ArrayView<T>, long>(StridedKernels.Gather)(
            device.Stream, device.GridStride(n), source, StridedLayout.Create(sizes, strides, offset), dense, n);
    }

    /// <summary>Queues the strided view (sizes, strides, offset) of <paramref name="target"/> = dense, row-major.</summary>
    /// <exception cref="ArgumentException">Bad layout, or it reaches outside <paramref name="target"/>, or the dense length differs.</exception>
    public static void Scatter<T>(GpuDevice device, ArrayView<T> dense, ArrayView<T> target, ReadOnlySpan<long> sizes,
        ReadOnlySpan<long> strides, long offset) where T : unmanaged
    {
        long n = CheckLayout(device, "Scatter", target.Length, sizes, strides, offset, dense.Length);
        if (n == 0)
            return;
        device.Kernel<ArrayView<T>, ArrayView<T>, StridedLayout, long>(StridedKernels.Scatter)(
            device.Stream, device.GridStride(n), dense, target, StridedLayout.Create(sizes, strides, offset), n);
    }

    // Element count of the layout; checks the lowest and highest element it reaches lie inside the strided buffer.
    private static long CheckLayout(GpuDevice device, string op, long bufferLength, ReadOnlySpan<long> sizes,
        ReadOnlySpan<long> strides, long offset, long denseLength)
    {
        if (sizes.Length != strides.Length || sizes.Length > StridedLayout.MaxRank)
            throw new ArgumentException(
                $"{device.Name}: {op}: {sizes.Length} sizes and {strides.Length} strides (rank must match and be at most {StridedLayout.MaxRank}).");
        long n = 1, low = offset, high = offset;
        for (int d = 0; d < sizes.Length; d++)
        {
            if (sizes[d] < 0)
                throw new ArgumentException($"{device.Name}: {op}: size {sizes[d]} of dimension {d} is negative.");
            n = checked(n * sizes[d]);
            if (sizes[d] == 0)
                continue;
            long reach = checked((sizes[d] - 1) * strides[d]);
            if (reach < 0)
                low += reach;
            else
                high += reach;
        }
        if (n != denseLength)
            throw new ArgumentException($"{device.Name}: {op}: the layout has {n} elements, the dense buffer {denseLength}.");
        if (n > 0 && (low < 0 || high >= bufferLength))
            throw new ArgumentException(
                $"{device.Name}: {op}: the layout reaches elements [{low}, {high}] of a buffer of {bufferLength}.");
        return n;
    }
}

using System.Numerics;
using Dendrite.Gpu.Runtime;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Pool;

/// <summary>
/// Host entry points of 2-D pooling over dense planes [P, H, W]: one grid-stride launch each, queued on the
/// device's stream. Backward kernels overwrite every element of the input gradient.
/// </summary>
internal static class Pool2d
{
    /// <summary>
    /// Max pooling; when <paramref name="withIndices"/>, <paramref name="indices"/> (P·OutH·OutW ints) receives the
    /// arg-max positions (otherwise it is any valid view, never written).
    /// </summary>
    public static void MaxForward<T>(GpuDevice device, ArrayView<T> x, ArrayView<T> y, ArrayView<int> indices, bool withIndices,
        int planes, PoolParams p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length == 0)
            return;
        device.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<int>, int, int, PoolParams>(PoolKernels.MaxForward)(
            device.Stream, device.GridStride(y.Length), x, y, indices, withIndices ? 1 : 0, planes, p);
    }

    /// <summary>dx from gy and the forward's arg-max positions.</summary>
    public static void MaxBackward<T>(GpuDevice device, ArrayView<T> gy, ArrayView<int> indices, ArrayView<T> dx, int planes, PoolParams p)
        where T : unmanaged, INumber<T>
    {
        if (dx.Length == 0)
            return;
        device.Kernel<ArrayView<T>, ArrayView<int>, ArrayView<T>, int, PoolParams>(PoolKernels.MaxBackward)(
            device.Stream, device.GridStride(dx.Length), gy, indices, dx, planes, p);
    }

    /// <summary>Average pooling, dividing by <paramref name="divisor"/> (KH·KW in T).</summary>
    public static void AvgForward<T>(GpuDevice device, ArrayView<T> x, ArrayView<T> y, int planes, PoolParams p, T divisor)
        where T : unmanaged, INumber<T>
    {
        if (y.Length == 0)
            return;
        device.Kernel<ArrayView<T>, ArrayView<T>, int, PoolParams, T>(PoolKernels.AvgForward)(
            device.Stream, device.GridStride(y.Length), x, y, planes, p, divisor);
    }

    /// <summary>The average-pooling input gradient.</summary>
    public static void AvgBackward<T>(GpuDevice device, ArrayView<T> gy, ArrayView<T> dx, int planes, PoolParams p, T divisor)
        where T : unmanaged, INumber<T>
    {
        if (dx.Length == 0)
            return;
        device.Kernel<ArrayView<T>, ArrayView<T>, int, PoolParams, T>(PoolKernels.AvgBackward)(
            device.Stream, device.GridStride(dx.Length), gy, dx, planes, p, divisor);
    }

    /// <summary>Adaptive average pooling [P, h, w] → [P, outH, outW].</summary>
    public static void AdaptiveForward<T, TReal>(GpuDevice device, ArrayView<T> x, ArrayView<T> y, int planes, int h, int w, int outH, int outW)
        where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        if (y.Length == 0)
            return;
        device.Kernel<ArrayView<T>, ArrayView<T>, int, int, int, int, int>(AdaptivePoolKernels.Forward<T, TReal>)(
            device.Stream, device.GridStride(y.Length), x, y, planes, h, w, outH, outW);
    }

    /// <summary>The adaptive-pooling input gradient.</summary>
    public static void AdaptiveBackward<T, TReal>(GpuDevice device, ArrayView<T> gy, ArrayView<T> dx, int planes, int h, int w, int outH, int outW)
        where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        if (dx.Length == 0)
            return;
        device.Kernel<ArrayView<T>, ArrayView<T>, int, int, int, int, int>(AdaptivePoolKernels.Backward<T, TReal>)(
            device.Stream, device.GridStride(dx.Length), gy, dx, planes, h, w, outH, outW);
    }
}

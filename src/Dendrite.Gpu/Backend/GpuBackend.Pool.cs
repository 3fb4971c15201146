using System.Numerics;
using Dendrite.Backends;
using Dendrite.Gpu.Kernels;
using Dendrite.Gpu.Kernels.Pool;

namespace Dendrite.Gpu.Backend;

// Pooling over dense planes [P, H, W]: one kernel per call (Kernels/Pool); max pooling keeps its arg-max positions
// in a device buffer owned by the returned state.
internal sealed partial class GpuBackend
{
    public KernelState? MaxPool2d(StorageView x, int planes, Pool2dGeometry g, StorageView y, bool keepState)
    {
        lock (Gate)
        {
            var indices = Gpu.Allocate<int>(Math.Max(1, keepState ? y.Numel : 1));
            var state = keepState ? new DevicePoolIndices(indices) : null;
            var p = PoolParams.From(g);
            switch (x.DType)
            {
                case DType.Float32: Pool2d.MaxForward(Gpu, Dense<float>(x), Dense<float>(y), indices.View<int>(), keepState, planes, p); break;
                case DType.Float64: Pool2d.MaxForward(Gpu, Dense<double>(x), Dense<double>(y), indices.View<int>(), keepState, planes, p); break;
                default:
                    indices.Dispose();
                    throw FloatingOnly("MaxPool2d", x.DType);
            }
            // Without a state the positions were never written: the block goes straight back to the cache.
            if (!keepState)
                indices.Dispose();
            return state;
        }
    }

    public void MaxPool2dBackward(StorageView gy, KernelState state, int planes, Pool2dGeometry g, StorageView dx)
    {
        lock (Gate)
        {
            var indices = GpuKernelState.As<DevicePoolIndices>(state, "MaxPool2dBackward", Device).Buffer.View<int>();
            var p = PoolParams.From(g);
            switch (gy.DType)
            {
                case DType.Float32: Pool2d.MaxBackward(Gpu, Dense<float>(gy), indices, Dense<float>(dx), planes, p); break;
                case DType.Float64: Pool2d.MaxBackward(Gpu, Dense<double>(gy), indices, Dense<double>(dx), planes, p); break;
                default: throw FloatingOnly("MaxPool2dBackward", gy.DType);
            }
        }
    }

    public void AvgPool2d(StorageView x, int planes, Pool2dGeometry g, StorageView y)
    {
        lock (Gate)
        {
            var p = AvgParams("AvgPool2d", g);
            switch (x.DType)
            {
                case DType.Float32: Pool2d.AvgForward(Gpu, Dense<float>(x), Dense<float>(y), planes, p, (float)(g.KH * g.KW)); break;
                case DType.Float64: Pool2d.AvgForward(Gpu, Dense<double>(x), Dense<double>(y), planes, p, (double)(g.KH * g.KW)); break;
                default: throw FloatingOnly("AvgPool2d", x.DType);
            }
        }
    }

    public void AvgPool2dBackward(StorageView gy, int planes, Pool2dGeometry g, StorageView dx)
    {
        lock (Gate)
        {
            var p = AvgParams("AvgPool2dBackward", g);
            switch (gy.DType)
            {
                case DType.Float32: Pool2d.AvgBackward(Gpu, Dense<float>(gy), Dense<float>(dx), planes, p, (float)(g.KH * g.KW)); break;
                case DType.Float64: Pool2d.AvgBackward(Gpu, Dense<double>(gy), Dense<double>(dx), planes, p, (double)(g.KH * g.KW)); break;
                default: throw FloatingOnly("AvgPool2dBackward", gy.DType);
            }
        }
    }

    public void AdaptiveAvgPool2d(StorageView x, int planes, int h, int w, int outH, int outW, StorageView y)
    {
        lock (Gate)
        {
            switch (x.DType)
            {
                case DType.Float32: Pool2d.AdaptiveForward<float, Float32Real>(Gpu, Dense<float>(x), Dense<float>(y), planes, h, w, outH, outW); break;
                case DType.Float64: Pool2d.AdaptiveForward<double, Float64Real>(Gpu, Dense<double>(x), Dense<double>(y), planes, h, w, outH, outW); break;
                default: throw FloatingOnly("AdaptiveAvgPool2d", x.DType);
            }
        }
    }

    public void AdaptiveAvgPool2dBackward(StorageView gy, int planes, int h, int w, int outH, int outW, StorageView dx)
    {
        lock (Gate)
        {
            switch (gy.DType)
            {
                case DType.Float32: Pool2d.AdaptiveBackward<float, Float32Real>(Gpu, Dense<float>(gy), Dense<float>(dx), planes, h, w, outH, outW); break;
                case DType.Float64: Pool2d.AdaptiveBackward<double, Float64Real>(Gpu, Dense<double>(gy), Dense<double>(dx), planes, h, w, outH, outW); break;
                default: throw FloatingOnly("AdaptiveAvgPool2dBackward", gy.DType);
            }
        }
    }

    // Average pooling has no dilation (as in PyTorch and the CPU kernel).
    private PoolParams AvgParams(string op, Pool2dGeometry g)
    {
        if (g.DilationH != 1 || g.DilationW != 1)
            throw new ArgumentException(
                $"{op} on {Device}: dilation ({g.DilationH}, {g.DilationW}) is not supported by average pooling (must be 1).");
        return PoolParams.From(g);
    }
}

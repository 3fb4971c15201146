using System.Numerics;

namespace Dendrite.Backends.Cpu;

// Pooling over dense planes [P, H, W], split into chunks of planes across threads; 2×2 windows take the fast paths.
internal sealed partial class CpuBackend
{
    public KernelState? MaxPool2d(StorageView x, int planes, Pool2dGeometry g, StorageView y, bool keepState)
    {
        var idx = new int[planes * g.OutputPlaneSize];
        if (x.DType == DType.Float32)
            MaxPoolForward<float>(x, y, idx, planes, g);
        else
            MaxPoolForward<double>(x, y, idx, planes, g);
        return keepState ? new PoolIndices(idx) : null;
    }

    private static void MaxPoolForward<T>(StorageView xv, StorageView yv, int[] idx, int planes, Pool2dGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = xv.Array<T>(), y = yv.Array<T>();
        int xOff = xv.Offset, yOff = yv.Offset, inP = g.InputPlaneSize, outP = g.OutputPlaneSize;
        int chunks = NNKernels.Chunks(planes, (long)planes * outP * g.KH * g.KW * 4);
        NNKernels.For(chunks, t =>
        {
            var (lo, hi) = NNKernels.Range(planes, chunks, t);
            Cpu.MaxPool2d.Forward<T>(x.AsSpan(xOff + lo * inP, (hi - lo) * inP), hi - lo, g,
                y.AsSpan(yOff + lo * outP, (hi - lo) * outP), idx.AsSpan(lo * outP, (hi - lo) * outP));
        });
    }

    public void MaxPool2dBackward(StorageView gy, KernelState state, int planes, Pool2dGeometry g, StorageView dx)
    {
        int[] idx = CpuKernelState.As<PoolIndices>(state).Indices;
        if (gy.DType == DType.Float32 && g.IsTwoByTwo && MaxPool2x2.DenseBackwardSupported(g.W))
        {
            // Non-overlapping windows: every input element is written once, so no zeroed buffer is needed.
            float[] go = gy.Array<float>(), gi = dx.Array<float>();
            int gOff = gy.Offset, dOff = dx.Offset, inP = g.InputPlaneSize, outP = g.OutputPlaneSize;
            int chunks = NNKernels.Chunks(planes, (long)planes * inP);
            NNKernels.For(chunks, t =>
            {
                var (lo, hi) = NNKernels.Range(planes, chunks, t);
                MaxPool2x2.BackwardDense(go.AsSpan(gOff + lo * outP, (hi - lo) * outP), idx.AsSpan(lo * outP, (hi - lo) * outP),
                    hi - lo, g.H, g.W, gi.AsSpan(dOff + lo * inP, (hi - lo) * inP));
            });
            return;
        }
        if (gy.DType == DType.Float32)
        {
            var d = dx.Span<float>();
            d.Clear();
            Cpu.MaxPool2d.Backward<float>(gy.Span<float>(), idx, planes, g, d);
        }
        else
        {
            var d = dx.Span<double>();
            d.Clear();
            Cpu.MaxPool2d.Backward<double>(gy.Span<double>(), idx, planes, g, d);
        }
    }

    public void AvgPool2d(StorageView x, int planes, Pool2dGeometry g, StorageView y)
    {
        if (x.DType == DType.Float32)
            AvgPoolForward<float>(x, y, planes, g);
        else
            AvgPoolForward<double>(x, y, planes, g);
    }

    private static void AvgPoolForward<T>(StorageView xv, StorageView yv, int planes, Pool2dGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = xv.Array<T>(), y = yv.Array<T>();
        int xOff = xv.Offset, yOff = yv.Offset, inP = g.InputPlaneSize, outP = g.OutputPlaneSize;
        int chunks = NNKernels.Chunks(planes, (long)planes * outP * g.KH * g.KW * 2);
        NNKernels.For(chunks, t =>
        {
            var (lo, hi) = NNKernels.Range(planes, chunks, t);
            Cpu.AvgPool2d.Forward<T>(x.AsSpan(xOff + lo * inP, (hi - lo) * inP), hi - lo, g, y.AsSpan(yOff + lo * outP, (hi - lo) * outP));
        });
    }

    public void AvgPool2dBackward(StorageView gy, int planes, Pool2dGeometry g, StorageView dx)
    {
        // The kernel adds each share into the input gradient.
        if (gy.DType == DType.Float32)
        {
            var d = dx.Span<float>();
            d.Clear();
            Cpu.AvgPool2d.Backward<float>(gy.Span<float>(), planes, g, d);
        }
        else
        {
            var d = dx.Span<double>();
            d.Clear();
            Cpu.AvgPool2d.Backward<double>(gy.Span<double>(), planes, g, d);
        }
    }

    public void AdaptiveAvgPool2d(StorageView x, int planes, int h, int w, int outH, int outW, StorageView y)
    {
        if (x.DType == DType.Float32)
            Cpu.AdaptiveAvgPool2d.Run<float>(x.Span<float>(), y.Span<float>(), planes, h, w, outH, outW, backward: false);
        else
            Cpu.AdaptiveAvgPool2d.Run<double>(x.Span<double>(), y.Span<double>(), planes, h, w, outH, outW, backward: false);
    }

    public void AdaptiveAvgPool2dBackward(StorageView gy, int planes, int h, int w, int outH, int outW, StorageView dx)
    {
        // Run only reads the small side in backward mode and adds into the big side.
        if (gy.DType == DType.Float32)
        {
            var d = dx.Span<float>();
            d.Clear();
            Cpu.AdaptiveAvgPool2d.Run<float>(d, gy.Span<float>(), planes, h, w, outH, outW, backward: true);
        }
        else
        {
            var d = dx.Span<double>();
            d.Clear();
            Cpu.AdaptiveAvgPool2d.Run<double>(d, gy.Span<double>(), planes, h, w, outH, outW, backward: true);
        }
    }
}

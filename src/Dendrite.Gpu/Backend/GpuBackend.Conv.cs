using System.Numerics;
using Dendrite.Backends;
using Dendrite.Gpu.Kernels.Conv;
using ILGPU;

namespace Dendrite.Gpu.Backend;

// Convolutions: im2col + batched GEMM (Kernels/Conv/Convolution); the fused Conv → ReLU → MaxPool(2) runs the same
// convolution into a scratch buffer, then one kernel for bias + ReLU + pool and the window codes.
internal sealed partial class GpuBackend
{
    public void Conv2d(StorageView x, StorageView weight, StorageView? bias, Conv2dGeometry g, int groups, StorageView y)
    {
        lock (Gate)
        {
            switch (x.DType)
            {
                case DType.Float32: Conv2d<float>(x, weight, bias, g, groups, y); break;
                case DType.Float64: Conv2d<double>(x, weight, bias, g, groups, y); break;
                default: throw FloatingOnly("Conv2d", x.DType);
            }
        }
    }

    private void Conv2d<T>(StorageView x, StorageView weight, StorageView? bias, Conv2dGeometry g, int groups, StorageView y)
        where T : unmanaged, INumber<T> =>
        Convolution.Forward(Gpu, Dense<T>(x), Dense<T>(weight), DenseOrNull<T>(bias), Dense<T>(y), x.Shape[0], weight.Shape[0], groups,
            ConvParams.From(g, groups));

    public void Conv2dBackward(StorageView x, StorageView weight, StorageView gy, Conv2dGeometry g, int groups,
        StorageView? dx, StorageView? dWeight, StorageView? dBias)
    {
        lock (Gate)
        {
            switch (x.DType)
            {
                case DType.Float32: Conv2dBackward<float>(x, weight, gy, g, groups, dx, dWeight, dBias); break;
                case DType.Float64: Conv2dBackward<double>(x, weight, gy, g, groups, dx, dWeight, dBias); break;
                default: throw FloatingOnly("Conv2dBackward", x.DType);
            }
        }
    }

    private void Conv2dBackward<T>(StorageView x, StorageView weight, StorageView gy, Conv2dGeometry g, int groups,
        StorageView? dx, StorageView? dWeight, StorageView? dBias) where T : unmanaged, INumber<T> =>
        Convolution.Backward(Gpu, Dense<T>(x), Dense<T>(weight), Dense<T>(gy), x.Shape[0], weight.Shape[0], groups, ConvParams.From(g, groups),
            DenseOrNull<T>(dx), DenseOrNull<T>(dWeight), DenseOrNull<T>(dBias));

    // The fusion saves the ReLU output, one launch and one pass over the convolution output in each direction, for
    // every stride-1 single-group convolution in a floating dtype (the op has checked stride, dilation and groups).
    public bool FusesConv2dReluMaxPool(DType dtype, Conv2dGeometry g, int outChannels) =>
        dtype is DType.Float32 or DType.Float64 && g.StrideH == 1 && g.StrideW == 1 && g.DilationH == 1 && g.DilationW == 1
        && g.OutH >= 2 && g.OutW >= 2 && outChannels >= 1;

    public KernelState? Conv2dReluMaxPool(StorageView x, StorageView weight, StorageView? bias, Conv2dGeometry g, StorageView pooled,
        bool keepState)
    {
        lock (Gate)
        {
            return x.DType switch
            {
                DType.Float32 => Conv2dReluMaxPool<float>(x, weight, bias, g, pooled, keepState),
                DType.Float64 => Conv2dReluMaxPool<double>(x, weight, bias, g, pooled, keepState),
                _ => throw FloatingOnly("Conv2dReluMaxPool", x.DType),
            };
        }
    }

    private DeviceReluPoolCodes? Conv2dReluMaxPool<T>(StorageView x, StorageView weight, StorageView? bias, Conv2dGeometry g,
        StorageView pooled, bool keepState) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Shape[0], o = weight.Shape[0];
        // conv [N, O, OutH, OutW] without the bias: the pooling kernel adds it to each tap as the convolution would.
        using var conv = Gpu.Allocate<T>(Math.Max(1L, (long)n * o * g.OutH * g.OutW));
        Convolution.Forward(Gpu, Dense<T>(x), Dense<T>(weight), null, conv.View<T>(), n, o, 1, ConvParams.From(g, 1));
        var codes = Gpu.Allocate<byte>(Math.Max(1, keepState ? pooled.Numel : 1));
        var result = keepState ? new DeviceReluPoolCodes(codes) : null;
        if (pooled.Numel > 0)
        {
            var b = DenseOrNull<T>(bias);
            Gpu.Kernel<ArrayView<T>, ArrayView<T>, int, ArrayView<T>, ArrayView<byte>, int, int, int, int, int>(ConvEpilogueKernels.BiasReluMaxPool)(
                Gpu.Stream, Gpu.GridStride(pooled.Numel), conv.View<T>(), b ?? conv.View<T>(), b is null ? 0 : 1, Dense<T>(pooled),
                codes.View<byte>(), keepState ? 1 : 0, n * o, o, g.OutH, g.OutW);
        }
        if (!keepState)
            codes.Dispose();
        return result;
    }

    public void Conv2dReluMaxPoolBackward(StorageView x, StorageView weight, StorageView gPooled, KernelState state, Conv2dGeometry g,
        StorageView? dx, StorageView? dWeight, StorageView? dBias)
    {
        lock (Gate)
        {
            var codes = GpuKernelState.As<DeviceReluPoolCodes>(state, "Conv2dReluMaxPoolBackward", Device);
            switch (x.DType)
            {
                case DType.Float32: Conv2dReluMaxPoolBackward<float>(x, weight, gPooled, codes, g, dx, dWeight, dBias); break;
                case DType.Float64: Conv2dReluMaxPoolBackward<double>(x, weight, gPooled, codes, g, dx, dWeight, dBias); break;
                default: throw FloatingOnly("Conv2dReluMaxPoolBackward", x.DType);
            }
        }
    }

    private void Conv2dReluMaxPoolBackward<T>(StorageView x, StorageView weight, StorageView gPooled, DeviceReluPoolCodes codes,
        Conv2dGeometry g, StorageView? dx, StorageView? dWeight, StorageView? dBias) where T : unmanaged, INumber<T>
    {
        int n = x.Shape[0], o = weight.Shape[0];
        long convSize = (long)n * o * g.OutH * g.OutW;
        // The convolution's output gradient: each window's gradient at its coded tap, zeros elsewhere.
        using var gConv = Gpu.Allocate<T>(Math.Max(1L, convSize));
        var gc = gConv.View<T>().SubView(0, convSize);
        if (convSize > 0)
            Gpu.Kernel<ArrayView<T>, ArrayView<byte>, ArrayView<T>, int, int, int>(ConvEpilogueKernels.ExpandPooledGradient)(
                Gpu.Stream, Gpu.GridStride(convSize), Dense<T>(gPooled), codes.Buffer.View<byte>(), gc, n * o, g.OutH, g.OutW);
        Convolution.Backward(Gpu, Dense<T>(x), Dense<T>(weight), gc, n, o, 1, ConvParams.From(g, 1),
            DenseOrNull<T>(dx), DenseOrNull<T>(dWeight), DenseOrNull<T>(dBias));
    }
}

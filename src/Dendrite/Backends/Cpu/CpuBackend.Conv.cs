using System.Buffers;

namespace Dendrite.Backends.Cpu;

// Convolutions: the direct float32 kernels where they apply (small stride-1 images, AVX-512), else im2col + GEMM; the
// fused Conv → ReLU → MaxPool(2) runs on the direct kernels.
internal sealed partial class CpuBackend
{
    // The fused kernel is for small images (LeNet-sized planes), as the direct kernels are.
    private const int MaxFusedImagePixels = 4096;

    public void Conv2d(StorageView x, StorageView weight, StorageView? bias, Conv2dGeometry g, int groups, StorageView y)
    {
        if (x.DType == DType.Float32 && DirectConv2d.Supports(g, groups, weight.Shape[0]))
            Conv2dDirect.Forward(x, weight, bias, y, g);
        else if (x.DType == DType.Float32)
            Conv2dIm2Col.Forward<float>(x, weight, bias, y, g, groups);
        else
            Conv2dIm2Col.Forward<double>(x, weight, bias, y, g, groups);
    }

    public void Conv2dBackward(StorageView x, StorageView weight, StorageView gy, Conv2dGeometry g, int groups,
        StorageView? dx, StorageView? dWeight, StorageView? dBias)
    {
        if (x.DType == DType.Float32 && DirectConv2d.Supports(g, groups, weight.Shape[0]))
        {
            // The bias gradient rides along with the weight gradient's pass over the output gradient when there is one.
            if (dBias is { } db && dWeight is null)
                ConvBias.BiasGrad<float>(gy.Span<float>(), db.Span<float>(), gy.Shape[0], weight.Shape[0], g.OutH * g.OutW);
            Conv2dDirect.Backward(x, weight, gy, dx, dWeight, dWeight is null ? null : dBias, g);
        }
        else if (x.DType == DType.Float32)
            Conv2dIm2Col.Backward<float>(x, weight, gy, g, groups, dx, dWeight, dBias);
        else
            Conv2dIm2Col.Backward<double>(x, weight, gy, g, groups, dx, dWeight, dBias);
    }

    public bool FusesConv2dReluMaxPool(DType dtype, Conv2dGeometry g, int outChannels) =>
        dtype == DType.Float32 && (long)g.H * g.W <= MaxFusedImagePixels && g.OutW <= ReluMaxPool2x2.MaxWidth
        && DirectConv2d.Supports(g, 1, outChannels) && ReluMaxPool2x2.Supports(g.OutH, g.OutW);

    public KernelState? Conv2dReluMaxPool(StorageView x, StorageView weight, StorageView? bias, Conv2dGeometry g, StorageView pooled,
        bool keepState)
    {
        byte[]? codes = keepState ? ArrayPool<byte>.Shared.Rent(pooled.Numel) : null;
        Conv2dDirect.ForwardReluPool(x, weight, bias, pooled, codes, g);
        return codes is null ? null : new ReluPoolCodes(codes);
    }

    public void Conv2dReluMaxPoolBackward(StorageView x, StorageView weight, StorageView gPooled, KernelState state, Conv2dGeometry g,
        StorageView? dx, StorageView? dWeight, StorageView? dBias)
    {
        var codes = CpuKernelState.As<ReluPoolCodes>(state).Codes;
        // The bias gradient is summed in the weight gradient's pass, so a weight gradient is computed whenever either is needed.
        var dw = dWeight ?? (dBias is null ? null : StorageView.Dense(CpuStorage<float>.Create(weight.Numel, false, this), weight.Shape));
        Conv2dDirect.BackwardReluPool(x, weight, gPooled, codes, dx, dw, dBias, g);
    }
}

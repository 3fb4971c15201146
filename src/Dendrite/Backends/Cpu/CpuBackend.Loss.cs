namespace Dendrite.Backends.Cpu;

// Elementwise losses over dense same-sized operands.
internal sealed partial class CpuBackend
{
    public void BinaryCrossEntropy(LossPart part, StorageView x, StorageView t, StorageView? gy, StorageView y)
    {
        int mode = LossMode(part);
        if (x.DType == DType.Float32)
            BceKernel.MapFloat(x.Span<float>(), t.Span<float>(), Optional<float>(gy), y.Span<float>(), mode);
        else
            BceKernel.Map<double>(x.Span<double>(), t.Span<double>(), Optional<double>(gy), y.Span<double>(), mode);
    }

    public (long Position, double Value)? FindNonProbability(StorageView x)
    {
        if (x.DType == DType.Float32)
        {
            var v = x.Span<float>();
            int i = BceKernel.FirstNonProbability<float>(v);
            return i < 0 ? null : (i, v[i]);
        }
        else
        {
            var v = x.Span<double>();
            int i = BceKernel.FirstNonProbability<double>(v);
            return i < 0 ? null : (i, v[i]);
        }
    }

    public void BceWithLogits(LossPart part, StorageView x, StorageView t, StorageView? posWeight, StorageView? gy, StorageView y)
    {
        int mode = LossMode(part);
        if (x.DType == DType.Float32)
            LossKernels.BceWithLogits<float>(x.Span<float>(), t.Span<float>(), Optional<float>(posWeight), Optional<float>(gy), y.Span<float>(),
                mode);
        else
            LossKernels.BceWithLogits<double>(x.Span<double>(), t.Span<double>(), Optional<double>(posWeight), Optional<double>(gy),
                y.Span<double>(), mode);
    }

    public void HuberLoss(LossPart part, StorageView x, StorageView t, StorageView? gy, double delta, StorageView y)
    {
        bool grad = part == LossPart.GradInput;
        if (x.DType == DType.Float32)
            LossKernels.Huber<float>(x.Span<float>(), t.Span<float>(), Optional<float>(gy), y.Span<float>(), delta, grad);
        else
            LossKernels.Huber<double>(x.Span<double>(), t.Span<double>(), Optional<double>(gy), y.Span<double>(), delta, grad);
    }

    public void MseLoss(StorageView x, StorageView t, StorageView diff, StorageView loss)
    {
        if (x.DType == DType.Float32)
            LossKernels.Mse<float>(x.Span<float>(), t.Span<float>(), diff.Span<float>(), loss.Span<float>());
        else
            LossKernels.Mse<double>(x.Span<double>(), t.Span<double>(), diff.Span<double>(), loss.Span<double>());
    }

    public void MseLossBackward(StorageView diff, StorageView gy, StorageView gx)
    {
        // c = g·(1/N) rounded once to the dtype (the reciprocal in double, as Mean's backward forms it).
        if (diff.DType == DType.Float32)
            LossKernels.MseGradient(diff.Span<float>(), gx.Span<float>(), gy.Span<float>()[0] * (float)(1.0 / diff.Numel));
        else
            LossKernels.MseGradient(diff.Span<double>(), gx.Span<double>(), gy.Span<double>()[0] * (1.0 / diff.Numel));
    }

    private static int LossMode(LossPart part) => part switch
    {
        LossPart.Value => 0,
        LossPart.GradInput => 1,
        LossPart.GradTarget => 2,
        _ => 3,
    };
}

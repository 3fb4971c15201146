using Dendrite.Backends;

namespace Dendrite.Gpu.Backend;

// Interface methods not yet implemented on the GPU, grouped by area; each area moves to its own GpuBackend.<Area>.cs.
internal sealed partial class GpuBackend
{
    // ---- ClassLoss ----
    public (long Position, long Value)? FindInvalidLabel(StorageView labels, long classes, long ignoreIndex) => throw Pending("FindInvalidLabel");
    public void CrossEntropy(StorageView logits, StorageView labels, StorageView? weight, int m, int c, double smoothing, long ignoreIndex, StorageView lse, StorageView perRow) => throw Pending("CrossEntropy");
    public void CrossEntropyBackward(StorageView logits, StorageView labels, StorageView? weight, StorageView lse, StorageView gy, StorageView? denominator, int m, int c, double smoothing, long ignoreIndex, StorageView dLogits) => throw Pending("CrossEntropyBackward");
    public void NllLoss(StorageView logProbs, StorageView labels, StorageView? weight, int m, int c, long ignoreIndex, StorageView perRow) => throw Pending("NllLoss");
    public void NllLossBackward(StorageView labels, StorageView? weight, StorageView gy, StorageView? denominator, int m, int c, long ignoreIndex, StorageView dLogProbs) => throw Pending("NllLossBackward");
    public void ReduceClassLoss(StorageView perRow, StorageView labels, StorageView? weight, long ignoreIndex, bool mean, StorageView output, StorageView denominator) => throw Pending("ReduceClassLoss");

    // ---- Conv ----
    public void Conv2d(StorageView x, StorageView weight, StorageView? bias, Conv2dGeometry g, int groups, StorageView y) => throw Pending("Conv2d");
    public void Conv2dBackward(StorageView x, StorageView weight, StorageView gy, Conv2dGeometry g, int groups, StorageView? dx, StorageView? dWeight, StorageView? dBias) => throw Pending("Conv2dBackward");
    public bool FusesConv2dReluMaxPool(DType dtype, Conv2dGeometry g, int outChannels) => throw Pending("FusesConv2dReluMaxPool");
    public KernelState? Conv2dReluMaxPool(StorageView x, StorageView weight, StorageView? bias, Conv2dGeometry g, StorageView pooled, bool keepState) => throw Pending("Conv2dReluMaxPool");
    public void Conv2dReluMaxPoolBackward(StorageView x, StorageView weight, StorageView gPooled, KernelState state, Conv2dGeometry g, StorageView? dx, StorageView? dWeight, StorageView? dBias) => throw Pending("Conv2dReluMaxPoolBackward");

    // ---- Loss ----
    public void BinaryCrossEntropy(LossPart part, StorageView x, StorageView t, StorageView? gy, StorageView y) => throw Pending("BinaryCrossEntropy");
    public (long Position, double Value)? FindNonProbability(StorageView x) => throw Pending("FindNonProbability");
    public void BceWithLogits(LossPart part, StorageView x, StorageView t, StorageView? posWeight, StorageView? gy, StorageView y) => throw Pending("BceWithLogits");
    public void HuberLoss(LossPart part, StorageView x, StorageView t, StorageView? gy, double delta, StorageView y) => throw Pending("HuberLoss");
    public void MseLoss(StorageView x, StorageView t, StorageView diff, StorageView loss) => throw Pending("MseLoss");
    public void MseLossBackward(StorageView diff, StorageView gy, StorageView gx) => throw Pending("MseLossBackward");

    // ---- Norm ----
    public void BatchNormStatistics(StorageView x, int n, int c, int s, StorageView mean, StorageView variance) => throw Pending("BatchNormStatistics");
    public void BatchNorm(StorageView x, int n, int c, int s, StorageView mean, StorageView invStd, StorageView? gamma, StorageView? beta, StorageView y) => throw Pending("BatchNorm");
    public void BatchNormBackward(StorageView x, StorageView gy, int n, int c, int s, StorageView mean, StorageView invStd, StorageView? gamma, bool training, StorageView sumG, StorageView sumGxhat, StorageView? dx) => throw Pending("BatchNormBackward");
    public void LayerNorm(StorageView x, StorageView? gamma, StorageView? beta, int rows, int d, double eps, StorageView y, StorageView mean, StorageView invStd) => throw Pending("LayerNorm");
    public void LayerNormBackward(StorageView x, StorageView gy, StorageView? gamma, StorageView mean, StorageView invStd, int rows, int d, StorageView? dx, StorageView? dGamma, StorageView? dBeta) => throw Pending("LayerNormBackward");

    // ---- Optim ----
    public void SgdStep(StorageView p, StorageView g, StorageView? momentumBuffer, SgdHyper h) => throw Pending("SgdStep");
    public void AdamStep(StorageView p, StorageView g, StorageView expAvg, StorageView expAvgSq, StorageView? maxExpAvgSq, AdamHyper h) => throw Pending("AdamStep");
    public void RmspropStep(StorageView p, StorageView g, StorageView squareAvg, StorageView? momentumBuffer, StorageView? gradAvg, RmspropHyper h) => throw Pending("RmspropStep");
    public void AdagradStep(StorageView p, StorageView g, StorageView sum, double clr, double weightDecay, double eps) => throw Pending("AdagradStep");
    public void TotalNorm(StorageView[] xs, double normType, StorageView total) => throw Pending("TotalNorm");
    public void ScaleToNorm(StorageView[] xs, StorageView total, double maxNorm) => throw Pending("ScaleToNorm");

    // ---- Pool ----
    public KernelState? MaxPool2d(StorageView x, int planes, Pool2dGeometry g, StorageView y, bool keepState) => throw Pending("MaxPool2d");
    public void MaxPool2dBackward(StorageView gy, KernelState state, int planes, Pool2dGeometry g, StorageView dx) => throw Pending("MaxPool2dBackward");
    public void AvgPool2d(StorageView x, int planes, Pool2dGeometry g, StorageView y) => throw Pending("AvgPool2d");
    public void AvgPool2dBackward(StorageView gy, int planes, Pool2dGeometry g, StorageView dx) => throw Pending("AvgPool2dBackward");
    public void AdaptiveAvgPool2d(StorageView x, int planes, int h, int w, int outH, int outW, StorageView y) => throw Pending("AdaptiveAvgPool2d");
    public void AdaptiveAvgPool2dBackward(StorageView gy, int planes, int h, int w, int outH, int outW, StorageView dx) => throw Pending("AdaptiveAvgPool2dBackward");

    private NotSupportedException Pending(string op) => new($"{op} is not implemented on {Device} yet.");
}

using Dendrite.Backends;

namespace Dendrite.Gpu.Backend;

// Interface methods not yet implemented on the GPU, grouped by area; each area moves to its own GpuBackend.<Area>.cs.
internal sealed partial class GpuBackend
{
    // ---- Conv ----
    public void Conv2d(StorageView x, StorageView weight, StorageView? bias, Conv2dGeometry g, int groups, StorageView y) => throw Pending("Conv2d");
    public void Conv2dBackward(StorageView x, StorageView weight, StorageView gy, Conv2dGeometry g, int groups, StorageView? dx, StorageView? dWeight, StorageView? dBias) => throw Pending("Conv2dBackward");
    public bool FusesConv2dReluMaxPool(DType dtype, Conv2dGeometry g, int outChannels) => throw Pending("FusesConv2dReluMaxPool");
    public KernelState? Conv2dReluMaxPool(StorageView x, StorageView weight, StorageView? bias, Conv2dGeometry g, StorageView pooled, bool keepState) => throw Pending("Conv2dReluMaxPool");
    public void Conv2dReluMaxPoolBackward(StorageView x, StorageView weight, StorageView gPooled, KernelState state, Conv2dGeometry g, StorageView? dx, StorageView? dWeight, StorageView? dBias) => throw Pending("Conv2dReluMaxPoolBackward");

    // ---- Elementwise ----
    public void Unary(UnaryOp op, StorageView x, StorageView y) => throw Pending("Unary");
    public void UnaryBackward(UnaryOp op, StorageView g, StorageView saved, StorageView dx) => throw Pending("UnaryBackward");
    public void Binary(BinaryKind op, StorageView a, StorageView b, StorageView y) => throw Pending("Binary");
    public void Compare(CompareKind op, StorageView a, StorageView b, StorageView y) => throw Pending("Compare");
    public void Where(StorageView condition, StorageView a, StorageView b, StorageView y) => throw Pending("Where");

    // ---- Indexing ----
    public void Gather(StorageView x, StorageView index, int dim, StorageView y) => throw Pending("Gather");
    public void ScatterAdd(StorageView g, StorageView index, int dim, StorageView gx) => throw Pending("ScatterAdd");
    public void IndexSelect(StorageView src, int outer, int size, int inner, StorageView index, StorageView y) => throw Pending("IndexSelect");
    public void IndexAdd(StorageView g, int outer, int size, int inner, StorageView index, StorageView gx) => throw Pending("IndexAdd");
    public (long Position, long Value)? FindOutOfRange(StorageView index, long size) => throw Pending("FindOutOfRange");

    // ---- Linalg ----
    public void Gemm(MatrixOperand a, MatrixOperand b, int m, int k, int n, Storage c, int cOffset, double beta, StorageView? rowBias) => throw Pending("Gemm");

    // ---- Norm ----
    public void BatchNormStatistics(StorageView x, int n, int c, int s, StorageView mean, StorageView variance) => throw Pending("BatchNormStatistics");
    public void BatchNorm(StorageView x, int n, int c, int s, StorageView mean, StorageView invStd, StorageView? gamma, StorageView? beta, StorageView y) => throw Pending("BatchNorm");
    public void BatchNormBackward(StorageView x, StorageView gy, int n, int c, int s, StorageView mean, StorageView invStd, StorageView? gamma, bool training, StorageView sumG, StorageView sumGxhat, StorageView? dx) => throw Pending("BatchNormBackward");
    public void LayerNorm(StorageView x, StorageView? gamma, StorageView? beta, int rows, int d, double eps, StorageView y, StorageView mean, StorageView invStd) => throw Pending("LayerNorm");
    public void LayerNormBackward(StorageView x, StorageView gy, StorageView? gamma, StorageView mean, StorageView invStd, int rows, int d, StorageView? dx, StorageView? dGamma, StorageView? dBeta) => throw Pending("LayerNormBackward");

    // ---- Pool ----
    public KernelState? MaxPool2d(StorageView x, int planes, Pool2dGeometry g, StorageView y, bool keepState) => throw Pending("MaxPool2d");
    public void MaxPool2dBackward(StorageView gy, KernelState state, int planes, Pool2dGeometry g, StorageView dx) => throw Pending("MaxPool2dBackward");
    public void AvgPool2d(StorageView x, int planes, Pool2dGeometry g, StorageView y) => throw Pending("AvgPool2d");
    public void AvgPool2dBackward(StorageView gy, int planes, Pool2dGeometry g, StorageView dx) => throw Pending("AvgPool2dBackward");
    public void AdaptiveAvgPool2d(StorageView x, int planes, int h, int w, int outH, int outW, StorageView y) => throw Pending("AdaptiveAvgPool2d");
    public void AdaptiveAvgPool2dBackward(StorageView gy, int planes, int h, int w, int outH, int outW, StorageView dx) => throw Pending("AdaptiveAvgPool2dBackward");

    // ---- Random ----
    public void FillUniform(StorageView dst, ulong seed, ulong counter, double low, double high) => throw Pending("FillUniform");
    public void FillNormal(StorageView dst, ulong seed, ulong counter, double mean, double std) => throw Pending("FillNormal");
    public void FillDropoutMask(StorageView dst, ulong seed, ulong counter, double p, double scale) => throw Pending("FillDropoutMask");

    // ---- Reductions ----
    public void Sum(StorageView src, int outer, int r, int inner, StorageView dst, double scale) => throw Pending("Sum");
    public void ArgExtreme(StorageView src, int outer, int r, int inner, StorageView values, StorageView indices, bool max) => throw Pending("ArgExtreme");
    public void ScatterArg(StorageView g, StorageView indices, int outer, int r, int inner, StorageView gx) => throw Pending("ScatterArg");
    public void Moments(StorageView src, int outer, int r, int inner, StorageView mean, StorageView variance, int ddof) => throw Pending("Moments");
    public void LogSumExp(StorageView src, int outer, int r, int inner, StorageView dst) => throw Pending("LogSumExp");
    public void Softmax(StorageView src, int outer, int r, int inner, StorageView dst, bool log) => throw Pending("Softmax");
    public void SoftmaxBackward(StorageView g, StorageView y, int outer, int r, int inner, StorageView gx, bool log) => throw Pending("SoftmaxBackward");

    private NotSupportedException Pending(string op) => new($"{op} is not implemented on {Device} yet.");
}

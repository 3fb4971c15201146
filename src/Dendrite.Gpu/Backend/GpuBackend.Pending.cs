using Dendrite.Backends;

namespace Dendrite.Gpu.Backend;

// Interface methods not yet implemented on the GPU, grouped by area; each area moves to its own GpuBackend.<Area>.cs.
internal sealed partial class GpuBackend
{

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

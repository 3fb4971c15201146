using System.Numerics;
using Dendrite.Backends;
using Dendrite.Gpu.Kernels.Elementwise;
using Dendrite.Gpu.Kernels.Linalg;
using Dendrite.Gpu.Memory;
using ILGPU;
using GemmKernel = Dendrite.Gpu.Kernels.Gemm.Gemm;

namespace Dendrite.Gpu.Backend;

// Matrix products through the register-tiled GEMM: strided operands become transposes and leading dimensions, and
// only a view that is neither row- nor column-major is copied dense first.
internal sealed partial class GpuBackend
{
    public void Gemm(MatrixOperand a, MatrixOperand b, int m, int k, int n, Storage c, int cOffset, double beta, StorageView? rowBias)
    {
        lock (Gate)
        {
            if (c.DType == DType.Float32)
                Gemm<float>(a, b, m, k, n, c, cOffset, (float)beta, rowBias);
            else
                Gemm<double>(a, b, m, k, n, c, cOffset, beta, rowBias);
        }
    }

    private void Gemm<T>(MatrixOperand a, MatrixOperand b, int m, int k, int n, Storage c, int cOffset, T beta, StorageView? rowBias)
        where T : unmanaged, INumber<T>
    {
        if (m == 0 || n == 0)
            return;
        var cView = Of(c).View<T>();
        if (rowBias is { } bias)
        {
            // C = bias on every row, then C = A·B + C: the bias is added exactly once per element, as the CPU does.
            int total = m * n;
            Gpu.Kernel<ArrayView<T>, ArrayView<T>, int, int>(RowBiasKernels.FillRows)(
                Gpu.Stream, Gpu.GridStride(total), Dense<T>(bias), cView.SubView(cOffset, total), n, total);
            beta = T.One;
        }
        var (aView, aOffset, lda, transA, aCopy) = GemmOperand<T>(a, m, k);
        var (bView, bOffset, ldb, transB, bCopy) = GemmOperand<T>(b, k, n);
        using (aCopy)
        using (bCopy)
            GemmKernel.Run(Gpu, transA, transB, m, n, k, T.One, aView, aOffset, lda, 0, bView, bOffset, ldb, 0, beta, cView, cOffset,
                Math.Max(n, 1), 0, 1);
    }

    /// <summary>
    /// A [rows, cols] operand as GEMM sees it: row-major (column stride 1) with its row stride as leading dimension,
    /// column-major (row stride 1) as a transpose, else gathered into a dense copy (returned for disposal).
    /// </summary>
    private (ArrayView<T> View, long Offset, long Ld, bool Trans, DeviceBuffer? Copy) GemmOperand<T>(MatrixOperand op, int rows, int cols)
        where T : unmanaged
    {
        int rs = op.RowStride, cs = op.ColStride;
        var whole = Of(op.Storage).View<T>();
        if (cs == 1 && (rs >= cols || rows == 1))
            return (whole, op.Offset, Math.Max(rows == 1 ? cols : rs, 1), false, null);
        if (rs == 1 && (cs >= rows || cols == 1))
            return (whole, op.Offset, Math.Max(cols == 1 ? rows : cs, 1), true, null);
        var copy = Gpu.Allocate<T>((long)rows * cols);
        Elementwise.Gather(Gpu, whole, [rows, cols], [rs, cs], op.Offset, copy.View<T>());
        return (copy.View<T>(), 0, Math.Max(cols, 1), false, copy);
    }
}

namespace Dendrite.Backends.Cpu;

/// <summary>How a 2-D strided matrix is handed to GEMM: its offset, leading dim and whether it is transposed.</summary>
internal readonly record struct MatrixView(int Offset, int Ld, bool Trans)
{
    /// <summary>
    /// Describes the matrix with dims (rows, cols) and strides (rs, cs) at <paramref name="offset"/>, or returns null when
    /// neither row-major nor column-major (then the caller copies it densely first).
    /// </summary>
    public static MatrixView? Of(int rows, int cols, int rs, int cs, int offset)
    {
        if (cs == 1 && (rs >= cols || rows == 1))
            return new MatrixView(offset, Math.Max(rows == 1 ? cols : rs, 1), false);
        if (rs == 1 && (cs >= rows || cols == 1))
            return new MatrixView(offset, Math.Max(cols == 1 ? rows : cs, 1), true);
        return null;
    }
}

/// <summary>GEMM over host storages: C[m×n] (dense) = op(A)·op(B) + beta·C, choosing transposes from the operands' strides.</summary>
internal static class TensorGemm
{
    /// <summary>c = a·b (+ beta·c) for a [m,k] and b [k,n]; c dense [m,n] at <paramref name="cOffset"/>.</summary>
    public static void Mm(MatrixOperand a, MatrixOperand b, int m, int k, int n, Storage c, int cOffset, double beta = 0)
    {
        var va = MatrixView.Of(m, k, a.RowStride, a.ColStride, a.Offset);
        var vb = MatrixView.Of(k, n, b.RowStride, b.ColStride, b.Offset);
        if (c.DType == DType.Float32)
        {
            var aa = CpuViews.Host<float>(a.Storage).Data;
            var ba = CpuViews.Host<float>(b.Storage).Data;
            if (va is null) { aa = Densify(aa, a, m, k); va = new MatrixView(0, Math.Max(k, 1), false); }
            if (vb is null) { ba = Densify(ba, b, k, n); vb = new MatrixView(0, Math.Max(n, 1), false); }
            Gemm.Sgemm(va.Value.Trans, vb.Value.Trans, m, n, k, 1f, aa.AsSpan(va.Value.Offset), va.Value.Ld,
                ba.AsSpan(vb.Value.Offset), vb.Value.Ld, (float)beta, CpuViews.Host<float>(c).Data.AsSpan(cOffset), Math.Max(n, 1));
        }
        else
        {
            var aa = CpuViews.Host<double>(a.Storage).Data;
            var ba = CpuViews.Host<double>(b.Storage).Data;
            if (va is null) { aa = Densify(aa, a, m, k); va = new MatrixView(0, Math.Max(k, 1), false); }
            if (vb is null) { ba = Densify(ba, b, k, n); vb = new MatrixView(0, Math.Max(n, 1), false); }
            Gemm.Dgemm(va.Value.Trans, vb.Value.Trans, m, n, k, 1.0, aa.AsSpan(va.Value.Offset), va.Value.Ld,
                ba.AsSpan(vb.Value.Offset), vb.Value.Ld, beta, CpuViews.Host<double>(c).Data.AsSpan(cOffset), Math.Max(n, 1));
        }
    }

    /// <summary>c = a·b + bias on every row (float; c dense [m,n], not read) in one GEMM pass when the strided views and
    /// the shape allow it; false (nothing written) otherwise.</summary>
    public static bool TryMmBias(MatrixOperand a, MatrixOperand b, int m, int k, int n, StorageView bias, Storage c, int cOffset)
    {
        if (c.DType != DType.Float32 || !bias.IsContiguous || cOffset != 0)
            return false;
        var va = MatrixView.Of(m, k, a.RowStride, a.ColStride, a.Offset);
        var vb = MatrixView.Of(k, n, b.RowStride, b.ColStride, b.Offset);
        if (va is null || vb is null)
            return false;
        return Gemm.TrySgemmBias(va.Value.Trans, vb.Value.Trans, m, n, k, CpuViews.Host<float>(a.Storage).Data.AsSpan(va.Value.Offset), va.Value.Ld,
            CpuViews.Host<float>(b.Storage).Data.AsSpan(vb.Value.Offset), vb.Value.Ld, bias.Array<float>().AsSpan(bias.Offset, n),
            CpuViews.Host<float>(c).Data.AsSpan(0), Math.Max(n, 1));
    }

    private static T[] Densify<T>(T[] src, MatrixOperand op, int rows, int cols)
    {
        var dst = new T[rows * cols];
        Strided.Gather(src, op.Offset, [rows, cols], [op.RowStride, op.ColStride], dst);
        return dst;
    }
}

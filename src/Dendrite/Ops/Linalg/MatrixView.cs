using Dendrite.Backends.Cpu;

namespace Dendrite.Ops;

/// <summary>How a 2-D strided matrix is handed to GEMM: its array, offset, leading dim and whether it is transposed.</summary>
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

/// <summary>GEMM on tensors: C[m×n] (dense) = op(A)·op(B) + beta·C, choosing transposes from the operands' strides.</summary>
internal static class TensorGemm
{
    /// <summary>c = a·b (+ beta·c) for 2-D views a [m,k] and b [k,n]; c must be dense [m,n] at the given offset.</summary>
    public static void Mm(Tensor a, int aOffset, int aRs, int aCs, Tensor b, int bOffset, int bRs, int bCs, int m, int k, int n, Tensor c, int cOffset, double beta = 0)
    {
        var va = MatrixView.Of(m, k, aRs, aCs, aOffset);
        var vb = MatrixView.Of(k, n, bRs, bCs, bOffset);
        if (c.DType == DType.Float32)
        {
            var aa = a.Array<float>();
            var ba = b.Array<float>();
            if (va is null) { aa = Densify(aa, aOffset, m, k, aRs, aCs); va = new MatrixView(0, Math.Max(k, 1), false); }
            if (vb is null) { ba = Densify(ba, bOffset, k, n, bRs, bCs); vb = new MatrixView(0, Math.Max(n, 1), false); }
            Gemm.Sgemm(va.Value.Trans, vb.Value.Trans, m, n, k, 1f, aa.AsSpan(va.Value.Offset), va.Value.Ld,
                ba.AsSpan(vb.Value.Offset), vb.Value.Ld, (float)beta, c.Array<float>().AsSpan(cOffset), Math.Max(n, 1));
        }
        else
        {
            var aa = a.Array<double>();
            var ba = b.Array<double>();
            if (va is null) { aa = Densify(aa, aOffset, m, k, aRs, aCs); va = new MatrixView(0, Math.Max(k, 1), false); }
            if (vb is null) { ba = Densify(ba, bOffset, k, n, bRs, bCs); vb = new MatrixView(0, Math.Max(n, 1), false); }
            Gemm.Dgemm(va.Value.Trans, vb.Value.Trans, m, n, k, 1.0, aa.AsSpan(va.Value.Offset), va.Value.Ld,
                ba.AsSpan(vb.Value.Offset), vb.Value.Ld, beta, c.Array<double>().AsSpan(cOffset), Math.Max(n, 1));
        }
    }

    /// <summary>c = a·b + bias on every row (float; c dense [m,n], not read) in one GEMM pass when the strided views and
    /// the shape allow it; false (nothing written) otherwise.</summary>
    public static bool TryMmBias(Tensor a, int aOffset, int aRs, int aCs, Tensor b, int bOffset, int bRs, int bCs, int m, int k, int n,
        Tensor bias, Tensor c)
    {
        if (c.DType != DType.Float32 || !bias.IsContiguous)
            return false;
        var va = MatrixView.Of(m, k, aRs, aCs, aOffset);
        var vb = MatrixView.Of(k, n, bRs, bCs, bOffset);
        if (va is null || vb is null)
            return false;
        return Gemm.TrySgemmBias(va.Value.Trans, vb.Value.Trans, m, n, k, a.Array<float>().AsSpan(va.Value.Offset), va.Value.Ld,
            b.Array<float>().AsSpan(vb.Value.Offset), vb.Value.Ld, bias.Array<float>().AsSpan(bias.Offset, n),
            c.Array<float>().AsSpan(0), Math.Max(n, 1));
    }

    private static T[] Densify<T>(T[] src, int offset, int rows, int cols, int rs, int cs)
    {
        var dst = new T[rows * cols];
        Strided.Gather(src, offset, [rows, cols], [rs, cs], dst);
        return dst;
    }
}

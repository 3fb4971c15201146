namespace Dendrite.Backends;

internal partial interface IBackend
{
    /// <summary>
    /// C = op(A)·op(B) + beta·C for A [m, k] and B [k, n] given by their strides (any layout, transposes included) and
    /// C dense [m, n] at <paramref name="cOffset"/> of <paramref name="c"/>, in C's floating dtype. With a
    /// <paramref name="rowBias"/> ([n], dense) the result is A·B + bias on every row and C is not read (beta ignored).
    /// </summary>
    void Gemm(MatrixOperand a, MatrixOperand b, int m, int k, int n, Storage c, int cOffset, double beta, StorageView? rowBias = null);
}

/// <summary>A matrix inside a storage: element (i, j) sits at Offset + i·RowStride + j·ColStride.</summary>
internal readonly record struct MatrixOperand(Storage Storage, int Offset, int RowStride, int ColStride);

using System.Numerics;

namespace Dendrite.Gpu.Kernels.Gemm;

/// <summary>
/// The scalar arguments of a batched GEMM, passed to the kernels by value:
/// C_b[m×n] = alpha·op(A_b)·op(B_b) + beta·C_b for b &lt; Batch, row-major, where
/// A_b starts at OffsetA + b·StrideA (stride 0 broadcasts one matrix to every batch), and likewise B and C.
/// op(A)(i, p) = A[i·Lda + p] when not transposed (A stored m×k), A[p·Lda + i] when transposed (stored k×m);
/// op(B)(p, j) = B[p·Ldb + j] when not transposed (stored k×n), B[j·Ldb + p] when transposed (stored n×k).
/// </summary>
internal struct GemmArgs<T> where T : unmanaged, INumber<T>
{
#pragma warning disable CS1591 // described in the summary
    public int M, N, K, Batch;
    public int TransA, TransB;
    public long Lda, Ldb, Ldc;
    public long OffsetA, OffsetB, OffsetC;
    public long StrideA, StrideB, StrideC;
    public T Alpha, Beta;
    /// <summary>Output tiles along m and n (set by the launcher for the tile size it uses).</summary>
    public int TilesM, TilesN;
#pragma warning restore CS1591
}

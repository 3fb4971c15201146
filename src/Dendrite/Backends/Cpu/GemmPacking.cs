using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

/// <summary>How a packed A micro-panel (MR rows × kc steps) is laid out in memory.</summary>
internal interface IPackedALayout
{
    /// <summary>
    /// True: each row is stored contiguously with stride KC (row r, step p at r·KC + p), which packs
    /// a row-major A with plain row copies. False: k-major, the MR values of one step are adjacent
    /// (row r, step p at p·MR + r), which packs a transposed A (stored k×m) with plain copies.
    /// </summary>
    static abstract bool RowPanel { get; }
}

/// <summary>Row-panel A layout (used when op(A) = A).</summary>
internal readonly struct ARowPanel : IPackedALayout
{
    /// <inheritdoc/>
    public static bool RowPanel => true;
}

/// <summary>k-major A layout (used when op(A) = Aᵀ).</summary>
internal readonly struct AKMajor : IPackedALayout
{
    /// <inheritdoc/>
    public static bool RowPanel => false;
}

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous micro-panel formats the register tiles
/// read. Transposes are absorbed here: every layout is produced straight from the caller's storage.
/// Partial panels are zero-padded so the kernels never branch on edges.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs the mc×kc block of op(A) at <paramref name="src"/> into ⌈mc/MR⌉ panels of MR·KC
    /// elements each. <paramref name="transA"/> false: src is A(i0, p0) of a row-major m×k A;
    /// true: src is Aᵀ storage at (p0, i0).
    /// </summary>
    public static void PackA<T>(bool transA, T* src, nint lda, int mc, int kc, int mr, T* dst) where T : unmanaged
    {
        nint kcMax = GemmBlocking.Kc<T>();
        for (int i0 = 0; i0 < mc; i0 += mr, dst += mr * kcMax)
        {
            int rows = Math.Min(mr, mc - i0);
            if (!transA)
            {
                // Row panel: row r is kc contiguous values of A's row i0 + r.
                for (int r = 0; r < rows; r++)
                    Buffer.MemoryCopy(src + (i0 + r) * lda, dst + r * kcMax, kc * sizeof(T), kc * sizeof(T));
                for (int r = rows; r < mr; r++)
                    new Span<T>(dst + r * kcMax, kc).Clear();
            }
            else if (rows == mr && mr == GemmKernel512.MR)
            {
                // k-major: the 12 values of one step are contiguous in Aᵀ, so each step is one copy.
                T* s = src + i0;
                for (int p = 0; p < kc; p++)
                    Unsafe.CopyBlockUnaligned(dst + p * GemmKernel512.MR, s + p * lda, (uint)(GemmKernel512.MR * sizeof(T)));
            }
            else
            {
                T* s = src + i0;
                for (int p = 0; p < kc; p++)
                {
                    T* d = dst + p * mr;
                    int r = 0;
                    for (; r < rows; r++)
                        d[r] = s[p * lda + r];
                    for (; r < mr; r++)
                        d[r] = default;
                }
            }
        }
    }

    /// <summary>
    /// Packs the kc×nc block of op(B) at <paramref name="src"/> into ⌈nc/NR⌉ panels of kc·NR
    /// elements (NR contiguous values per step). <paramref name="transB"/> false: src is B(p0, j0) of a
    /// row-major k×n B; true: src is Bᵀ storage (n×k) at (j0, p0).
    /// </summary>
    public static void PackB<T>(bool transB, T* src, nint ldb, int kc, int nc, int nr, T* dst) where T : unmanaged
    {
        for (int j0 = 0; j0 < nc; j0 += nr, dst += nr * kc)
        {
            int cols = Math.Min(nr, nc - j0);
            if (!transB)
            {
                T* s = src + j0;
                if (cols == nr)
                {
                    for (int p = 0; p < kc; p++)
                        Buffer.MemoryCopy(s + p * ldb, dst + p * nr, nr * sizeof(T), nr * sizeof(T));
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        Buffer.MemoryCopy(s + p * ldb, dst + p * nr, nr * sizeof(T), cols * sizeof(T));
                        new Span<T>(dst + p * nr + cols, nr - cols).Clear();
                    }
                }
            }
            else
            {
                // Bᵀ: column j of op(B) is row j of the storage; read along it, write strided.
                for (int j = 0; j < cols; j++)
                {
                    T* s = src + (j0 + j) * ldb;
                    T* d = dst + j;
                    for (int p = 0; p < kc; p++)
                        d[p * nr] = s[p];
                }
                for (int j = cols; j < nr; j++)
                {
                    for (int p = 0; p < kc; p++)
                        dst[p * nr + j] = default;
                }
            }
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            else if (rows == mr && mr == GemmBlocking.Mr)
            {
                // k-major: the 12 values of one step are contiguous in Aᵀ, so each step is one copy.
                T* s = src + i0;
                for (int p = 0; p < kc; p++)
                    Unsafe.CopyBlockUnaligned(dst + p * GemmBlocking.Mr, s + p * lda, (uint)(GemmBlocking.Mr * sizeof(T)));
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(bool transB, T* src, nint ldb, int kc, int nc, int nr, T* dst) where T : unmanaged
    {
        if (!transB)
        {
            // Walk B row by row (sequential reads), scattering each row's NR-wide pieces to the panels.
            int full = nc / nr, cols = nc - full * nr;
            for (int p = 0; p < kc; p++)
            {
                T* s = src + p * ldb;
                T* d = dst + p * nr;
                for (int q = 0; q < full; q++)
                    CopyPiece(s + q * nr, d + q * nr * kc, nr * sizeof(T));
                if (cols > 0)
                {
                    T* dq = d + full * nr * kc;
                    Buffer.MemoryCopy(s + full * nr, dq, nr * sizeof(T), cols * sizeof(T));
                    new Span<T>(dq + cols, nr - cols).Clear();
                }
            }
            return;
        }

        for (int j0 = 0; j0 < nc; j0 += nr, dst += nr * kc)
        {
            int cols = Math.Min(nr, nc - j0);
            if (typeof(T) == typeof(float) && Avx.IsSupported && cols == nr && nr % 8 == 0)
            {
                // Bᵀ, float: transpose 8×8 tiles in registers, then the few leftover steps.
                int kc8 = kc & ~7;
                for (int jb = 0; jb < nr; jb += 8)
                {
                    float* s = (float*)src + (j0 + jb) * ldb;
                    float* d = (float*)dst + jb;
                    for (int p = 0; p < kc8; p += 8)
                        Transpose8x8(s + p, ldb, d + p * nr, nr);
                    for (int j = 0; j < 8; j++)
                    {
                        for (int p = kc8; p < kc; p++)
                            d[p * nr + j] = s[j * ldb + p];
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

    /// <summary>Copies a short piece (one panel row); inline vector moves beat a memmove call here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPiece<T>(T* src, T* dst, int bytes) where T : unmanaged
    {
        if (Vector256.IsHardwareAccelerated && bytes % 32 == 0)
        {
            for (int o = 0; o < bytes; o += 32)
                Vector256.Store(Vector256.Load((byte*)src + o), (byte*)dst + o);
        }
        else
        {
            Buffer.MemoryCopy(src, dst, bytes, bytes);
        }
    }

    /// <summary>dst[q·ldd + r] = src[r·lds + q] for an 8×8 float tile (unpack, shuffle, lane swap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, nint lds, float* dst, nint ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + lds);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * lds), r3 = Avx.LoadVector256(src + 3 * lds);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * lds), r5 = Avx.LoadVector256(src + 5 * lds);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * lds), r7 = Avx.LoadVector256(src + 7 * lds);
        // Interleave row pairs: t0 = (r0[0], r1[0], r0[1], r1[1] | same for elements 4, 5), ...
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        // Gather four rows per column: s0 = (col 0 of rows 0-3 | col 4 of rows 0-3), ...
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        // Join the 128-bit halves of rows 0-3 and 4-7.
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * ldd, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * ldd, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * ldd, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * ldd, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * ldd, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * ldd, Avx.Permute2x128(s3, s7, 0x31));
    }
}

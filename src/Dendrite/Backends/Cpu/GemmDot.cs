using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Dendrite.Backends.Cpu.GemmSimd;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// GEMM as dot products, for C = A·Bᵀ with few columns (n ≤ 16) and a long depth: a Linear layer's forward
/// y = x·Wᵀ with W [out, in] row-major, e.g. a classifier head 256×784 · (10×784)ᵀ. Rows of A and rows of B's
/// storage are both contiguous along k, so every FMA uses all vector lanes, where broadcasting A over a
/// k×n panel of B would use only n of them. A tile of 4 rows of A × 5 rows of B keeps 20 accumulators in
/// registers; each is summed horizontally once at the end.
/// The kernels are deliberately not marked AggressiveOptimization: that attribute keeps ReadyToRun from precompiling
/// them, and JIT-compiling them on first use costs 15-20 ms per instantiation.
/// </summary>
internal static unsafe class GemmDot
{
    private const int RowsPerTile = 4, ColsPerTile = 5;

    /// <summary>Whether this path handles the problem: AVX-512, A not transposed, B transposed (rows of B's
    /// storage contiguous along k), n ≤ 16 and at least one full vector of depth.</summary>
    public static bool Applies<T>(in GemmProblem<T> p, GemmIsa isa) where T : unmanaged
        => isa == GemmIsa.Avx512 && !p.TransA && p.TransB && p.N <= 16 && p.K >= Vector512<T>.Count;

    /// <summary>Computes the problem (see <see cref="Applies{T}"/>).</summary>
    public static void Run<T>(in GemmProblem<T> p) where T : unmanaged, INumber<T>
    {
        long work = (long)p.M * p.N * p.K;
        int groups = (p.M + RowsPerTile - 1) / RowsPerTile;
        int chunks = work >= GemmDriver<T>.ParallelThreshold ? Math.Min(4 * Threads.Count, groups) : 1;
        var body = new RowsBody<T> { Problem = p, Chunks = chunks };
        if (chunks <= 1)
            body.Invoke(0);
        else
            CpuParallel.For(chunks, in body);
    }

    private struct RowsBody<T> : IParallelBody where T : unmanaged, INumber<T>
    {
        public GemmProblem<T> Problem;
        public int Chunks;

        public readonly void Invoke(int index)
        {
            ref readonly GemmProblem<T> p = ref Problem;
            int groups = (p.M + RowsPerTile - 1) / RowsPerTile;
            var (i0, i1) = CpuParallel.ChunkRange(groups, index, Chunks, RowsPerTile, p.M);
            for (int i = i0; i < i1; i += RowsPerTile)
            {
                int rows = Math.Min(RowsPerTile, i1 - i);
                // Missing rows of a partial tile repeat the last real one (computed, never stored).
                T* a0 = p.A + i * p.Lda;
                T* a1 = p.A + (i + Math.Min(1, rows - 1)) * p.Lda;
                T* a2 = p.A + (i + Math.Min(2, rows - 1)) * p.Lda;
                T* a3 = p.A + (i + Math.Min(3, rows - 1)) * p.Lda;
                for (int j = 0; j < p.N; j += ColsPerTile)
                {
                    int cols = Math.Min(ColsPerTile, p.N - j);
                    Tile(p.K, a0, a1, a2, a3, p.B + j * p.Ldb, p.Ldb, cols, p.C + i * p.Ldc + j, p.Ldc, rows, p.Alpha, p.Beta);
                }
            }
        }
    }

    /// <summary>C[r, c] = alpha·Σ_q a_r[q]·b_c[q] (+ beta·C) for r &lt; rows, c &lt; cols, where b_c = b + c·ldb.</summary>
    [SkipLocalsInit]
    private static void Tile<T>(int k, T* a0, T* a1, T* a2, T* a3, T* b, nint ldb, int cols, T* c, nint ldc, int rows, T alpha, T beta)
        where T : unmanaged, INumber<T>
    {
        int w = Vector512<T>.Count;
        // Missing columns repeat the last real row of B, like missing rows above.
        T* b0 = b;
        T* b1 = b + Math.Min(1, cols - 1) * ldb;
        T* b2 = b + Math.Min(2, cols - 1) * ldb;
        T* b3 = b + Math.Min(3, cols - 1) * ldb;
        T* b4 = b + Math.Min(4, cols - 1) * ldb;
        Vector512<T> s00 = default, s01 = default, s02 = default, s03 = default, s04 = default;
        Vector512<T> s10 = default, s11 = default, s12 = default, s13 = default, s14 = default;
        Vector512<T> s20 = default, s21 = default, s22 = default, s23 = default, s24 = default;
        Vector512<T> s30 = default, s31 = default, s32 = default, s33 = default, s34 = default;
        int q = 0;
        for (; q + w <= k; q += w)
        {
            Vector512<T> x0 = Vector512.Load(a0 + q), x1 = Vector512.Load(a1 + q);
            Vector512<T> x2 = Vector512.Load(a2 + q), x3 = Vector512.Load(a3 + q);
            Vector512<T> y = Vector512.Load(b0 + q);
            s00 = Fma(x0, y, s00); s10 = Fma(x1, y, s10); s20 = Fma(x2, y, s20); s30 = Fma(x3, y, s30);
            y = Vector512.Load(b1 + q);
            s01 = Fma(x0, y, s01); s11 = Fma(x1, y, s11); s21 = Fma(x2, y, s21); s31 = Fma(x3, y, s31);
            y = Vector512.Load(b2 + q);
            s02 = Fma(x0, y, s02); s12 = Fma(x1, y, s12); s22 = Fma(x2, y, s22); s32 = Fma(x3, y, s32);
            y = Vector512.Load(b3 + q);
            s03 = Fma(x0, y, s03); s13 = Fma(x1, y, s13); s23 = Fma(x2, y, s23); s33 = Fma(x3, y, s33);
            y = Vector512.Load(b4 + q);
            s04 = Fma(x0, y, s04); s14 = Fma(x1, y, s14); s24 = Fma(x2, y, s24); s34 = Fma(x3, y, s34);
        }
        if (q < k)
        {
            // The last partial vector of depth: masked loads read zeros past the end of each row.
            Vector512<T> m = FirstLanes<T>(k - q);
            Vector512<T> x0 = MaskLoad(a0 + q, m), x1 = MaskLoad(a1 + q, m);
            Vector512<T> x2 = MaskLoad(a2 + q, m), x3 = MaskLoad(a3 + q, m);
            Vector512<T> y = MaskLoad(b0 + q, m);
            s00 = Fma(x0, y, s00); s10 = Fma(x1, y, s10); s20 = Fma(x2, y, s20); s30 = Fma(x3, y, s30);
            y = MaskLoad(b1 + q, m);
            s01 = Fma(x0, y, s01); s11 = Fma(x1, y, s11); s21 = Fma(x2, y, s21); s31 = Fma(x3, y, s31);
            y = MaskLoad(b2 + q, m);
            s02 = Fma(x0, y, s02); s12 = Fma(x1, y, s12); s22 = Fma(x2, y, s22); s32 = Fma(x3, y, s32);
            y = MaskLoad(b3 + q, m);
            s03 = Fma(x0, y, s03); s13 = Fma(x1, y, s13); s23 = Fma(x2, y, s23); s33 = Fma(x3, y, s33);
            y = MaskLoad(b4 + q, m);
            s04 = Fma(x0, y, s04); s14 = Fma(x1, y, s14); s24 = Fma(x2, y, s24); s34 = Fma(x3, y, s34);
        }
        if (typeof(T) == typeof(float))
        {
            StoreTileSingle((float*)c, ldc, rows, cols, Unsafe.As<T, float>(ref alpha), Unsafe.As<T, float>(ref beta),
                s00.AsSingle(), s01.AsSingle(), s02.AsSingle(), s03.AsSingle(), s04.AsSingle(),
                s10.AsSingle(), s11.AsSingle(), s12.AsSingle(), s13.AsSingle(), s14.AsSingle(),
                s20.AsSingle(), s21.AsSingle(), s22.AsSingle(), s23.AsSingle(), s24.AsSingle(),
                s30.AsSingle(), s31.AsSingle(), s32.AsSingle(), s33.AsSingle(), s34.AsSingle());
            return;
        }
        StoreRow(c, cols, alpha, beta, s00, s01, s02, s03, s04);
        if (rows > 1)
            StoreRow(c + ldc, cols, alpha, beta, s10, s11, s12, s13, s14);
        if (rows > 2)
            StoreRow(c + 2 * ldc, cols, alpha, beta, s20, s21, s22, s23, s24);
        if (rows > 3)
            StoreRow(c + 3 * ldc, cols, alpha, beta, s30, s31, s32, s33, s34);
    }

    /// <summary>
    /// Writes a float tile: row r's first four sums come from one reduction of (s_r0..s_r3) into the lanes 0..3 of a
    /// vector, stored with a masked store; the fifth column of all four rows is reduced the same way. About a third
    /// of the shuffles and adds of twenty separate horizontal sums, which matters at short depths (k = 84..256).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTileSingle(float* c, nint ldc, int rows, int cols, float alpha, float beta,
        Vector512<float> s00, Vector512<float> s01, Vector512<float> s02, Vector512<float> s03, Vector512<float> s04,
        Vector512<float> s10, Vector512<float> s11, Vector512<float> s12, Vector512<float> s13, Vector512<float> s14,
        Vector512<float> s20, Vector512<float> s21, Vector512<float> s22, Vector512<float> s23, Vector512<float> s24,
        Vector512<float> s30, Vector512<float> s31, Vector512<float> s32, Vector512<float> s33, Vector512<float> s34)
    {
        var va = Vector512.Create(alpha);
        Vector512<float> mask = FirstLanes<float>(Math.Min(cols, 4));
        Put4(c, mask, va, beta, Sum4(s00, s01, s02, s03));
        if (rows > 1) Put4(c + ldc, mask, va, beta, Sum4(s10, s11, s12, s13));
        if (rows > 2) Put4(c + 2 * ldc, mask, va, beta, Sum4(s20, s21, s22, s23));
        if (rows > 3) Put4(c + 3 * ldc, mask, va, beta, Sum4(s30, s31, s32, s33));
        if (cols > 4)
        {
            // Lanes 0..3: rows 0..3 of column 4. Lane r is moved to lane 0 by a permute rather than read with
            // GetElement, whose range check would keep ReadyToRun from precompiling this kernel.
            Vector512<float> last = Sum4(s04, s14, s24, s34) * va;
            for (int r = 0; r < rows; r++)
            {
                float* at = c + r * ldc + 4;
                float v = Avx512F.PermuteVar16x32(last, Vector512.Create(r)).ToScalar();
                *at = beta == 0f ? v : v + beta * *at;
            }
        }
    }

    /// <summary>[Σa, Σb, Σc, Σd] in lanes 0..3: halves of the four vectors are added pairwise with 128-bit block shuffles
    /// (16 lanes → 8 → 4 per vector, all four vectors at once), then each block is summed in-lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Sum4(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d)
    {
        // Lanes are named by 128-bit block (4 lanes each); vpermt2ps picks any 16 of the 32 lanes of two vectors.
        // Blocks: [a0+a2, a1+a3, b0+b2, b1+b3] and likewise for c, d.
        Vector512<int> lowHalves = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
        Vector512<int> highHalves = lowHalves + Vector512.Create(8);
        Vector512<float> ab = Avx512F.PermuteVar16x32x2(a, lowHalves, b) + Avx512F.PermuteVar16x32x2(a, highHalves, b);
        Vector512<float> cd = Avx512F.PermuteVar16x32x2(c, lowHalves, d) + Avx512F.PermuteVar16x32x2(c, highHalves, d);
        // Blocks: [a partial, b partial, c partial, d partial].
        Vector512<int> evenBlocks = Vector512.Create(0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
        Vector512<float> abcd = Avx512F.PermuteVar16x32x2(ab, evenBlocks, cd) + Avx512F.PermuteVar16x32x2(ab, evenBlocks + Vector512.Create(4), cd);
        // Sum each block's 4 lanes: lane 4i ends up holding Σ of vector i.
        abcd += Avx512F.PermuteVar16x32(abcd, Vector512.Create(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14));
        abcd += Avx512F.PermuteVar16x32(abcd, Vector512.Create(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13));
        return Avx512F.PermuteVar16x32(abcd, Vector512.Create(0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    /// <summary>Writes alpha·sums (+ beta·C) to the lanes of C selected by <paramref name="mask"/> (the first min(cols, 4)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put4(float* c, Vector512<float> mask, Vector512<float> alpha, float beta, Vector512<float> sums)
    {
        Vector512<float> r = sums * alpha;
        if (beta != 0f)
            r = Vector512.FusedMultiplyAdd(Vector512.Create(beta), MaskLoad(c, mask), r);
        MaskStore(c, mask, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T>(T* c, int cols, T alpha, T beta, Vector512<T> v0, Vector512<T> v1, Vector512<T> v2,
        Vector512<T> v3, Vector512<T> v4) where T : unmanaged, INumber<T>
    {
        Put(c, alpha, beta, Vector512.Sum(v0));
        if (cols > 1) Put(c + 1, alpha, beta, Vector512.Sum(v1));
        if (cols > 2) Put(c + 2, alpha, beta, Vector512.Sum(v2));
        if (cols > 3) Put(c + 3, alpha, beta, Vector512.Sum(v3));
        if (cols > 4) Put(c + 4, alpha, beta, Vector512.Sum(v4));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T>(T* c, T alpha, T beta, T sum) where T : unmanaged, INumber<T>
        => *c = beta == T.Zero ? alpha * sum : alpha * sum + beta * *c;
}

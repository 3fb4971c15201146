using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Dendrite.Backends.Cpu.GemmSimd;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// GEMM for few output rows (m ≤ 16) and long contiguous rows of B (B not transposed), such as the weight
/// gradient of a classifier head, dW = gᵀ·x: [10×256]·[256×784]. The packed path would pad m up to its tile
/// height and pack all of B for a product that reads each element of B once. Here a tile of 5 rows × 64
/// columns of C stays in 20 registers while the depth is walked: each step loads 4 vectors of one B row and
/// broadcasts 5 elements of op(A), in place; every FMA uses all lanes.
/// The kernels are deliberately not marked AggressiveOptimization: that attribute keeps ReadyToRun from precompiling
/// them, and JIT-compiling them on first use costs 15-20 ms per instantiation.
/// </summary>
internal static unsafe class GemmFewRows
{
    private const int RowsPerTile = 5, VectorsPerTile = 4;

    /// <summary>Whether this path handles the problem: AVX-512, B not transposed, m ≤ 16, n at least two vectors.</summary>
    public static bool Applies<T>(in GemmProblem<T> p, GemmIsa isa) where T : unmanaged
        => isa == GemmIsa.Avx512 && !p.TransB && p.M <= 16 && p.N >= 2 * Vector512<T>.Count;

    /// <summary>Computes the problem (see <see cref="Applies{T}"/>).</summary>
    public static void Run<T>(in GemmProblem<T> p) where T : unmanaged, INumber<T>
    {
        int tileCols = VectorsPerTile * Vector512<T>.Count;
        long work = (long)p.M * p.N * p.K;
        int blocks = (p.N + tileCols - 1) / tileCols;
        int chunks = work >= GemmDriver<T>.ParallelThreshold ? Math.Min(2 * Threads.Count, blocks) : 1;
        var body = new ColumnsBody<T> { Problem = p, Chunks = chunks };
        if (chunks <= 1)
            body.Invoke(0);
        else
            CpuParallel.For(chunks, in body);
    }

    private struct ColumnsBody<T> : IParallelBody where T : unmanaged, INumber<T>
    {
        public GemmProblem<T> Problem;
        public int Chunks;

        public readonly void Invoke(int index)
        {
            ref readonly GemmProblem<T> p = ref Problem;
            int w = Vector512<T>.Count, tileCols = VectorsPerTile * w;
            int blocks = (p.N + tileCols - 1) / tileCols;
            var (j0, j1) = CpuParallel.ChunkRange(blocks, index, Chunks, tileCols, p.N);
            // Element q of row i of op(A) is at A + i·rs + q·ks.
            nint rs = p.TransA ? 1 : p.Lda, ks = p.TransA ? p.Lda : 1;
            for (int i = 0; i < p.M; i += RowsPerTile)
            {
                int rows = Math.Min(RowsPerTile, p.M - i);
                T* a = p.A + i * rs;
                T* c = p.C + i * p.Ldc;
                int j = j0;
                for (; j + tileCols <= j1; j += tileCols)
                    Tile4(p.K, a, rs, ks, rows, p.B + j, p.Ldb, c + j, p.Ldc, p.Alpha, p.Beta);
                for (; j < j1; j += w)
                    Tile1(p.K, a, rs, ks, rows, p.B + j, p.Ldb, c + j, p.Ldc, Math.Min(w, j1 - j), p.Alpha, p.Beta);
            }
        }
    }

    /// <summary>Rows [0, rows) × 4 full vectors of C.</summary>
    [SkipLocalsInit]
    private static void Tile4<T>(int k, T* a, nint rs, nint ks, int rows, T* b, nint ldb, T* c, nint ldc, T alpha, T beta)
        where T : unmanaged, INumber<T>
    {
        int w = Vector512<T>.Count;
        // Missing rows of a partial tile repeat the last real one (computed, never stored).
        nint r1 = Math.Min(1, rows - 1) * rs, r2 = Math.Min(2, rows - 1) * rs, r3 = Math.Min(3, rows - 1) * rs, r4 = Math.Min(4, rows - 1) * rs;
        Vector512<T> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<T> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<T> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector512<T> s30 = default, s31 = default, s32 = default, s33 = default;
        Vector512<T> s40 = default, s41 = default, s42 = default, s43 = default;
        for (int q = 0; q < k; q++)
        {
            Vector512<T> y0 = Vector512.Load(b), y1 = Vector512.Load(b + w), y2 = Vector512.Load(b + 2 * w), y3 = Vector512.Load(b + 3 * w);
            Vector512<T> x = Vector512.Create(a[0]);
            s00 = Fma(x, y0, s00); s01 = Fma(x, y1, s01); s02 = Fma(x, y2, s02); s03 = Fma(x, y3, s03);
            x = Vector512.Create(a[r1]);
            s10 = Fma(x, y0, s10); s11 = Fma(x, y1, s11); s12 = Fma(x, y2, s12); s13 = Fma(x, y3, s13);
            x = Vector512.Create(a[r2]);
            s20 = Fma(x, y0, s20); s21 = Fma(x, y1, s21); s22 = Fma(x, y2, s22); s23 = Fma(x, y3, s23);
            x = Vector512.Create(a[r3]);
            s30 = Fma(x, y0, s30); s31 = Fma(x, y1, s31); s32 = Fma(x, y2, s32); s33 = Fma(x, y3, s33);
            x = Vector512.Create(a[r4]);
            s40 = Fma(x, y0, s40); s41 = Fma(x, y1, s41); s42 = Fma(x, y2, s42); s43 = Fma(x, y3, s43);
            a += ks;
            b += ldb;
        }
        var va = Vector512.Create(alpha);
        var vb = Vector512.Create(beta);
        int mode = Mode(beta);
        StoreRow(c, w, va, vb, mode, s00, s01, s02, s03);
        if (rows > 1) StoreRow(c + ldc, w, va, vb, mode, s10, s11, s12, s13);
        if (rows > 2) StoreRow(c + 2 * ldc, w, va, vb, mode, s20, s21, s22, s23);
        if (rows > 3) StoreRow(c + 3 * ldc, w, va, vb, mode, s30, s31, s32, s33);
        if (rows > 4) StoreRow(c + 4 * ldc, w, va, vb, mode, s40, s41, s42, s43);
    }

    /// <summary>Rows [0, rows) × the first <paramref name="n"/> ≤ W columns of C (a masked vector when n &lt; W).</summary>
    [SkipLocalsInit]
    private static void Tile1<T>(int k, T* a, nint rs, nint ks, int rows, T* b, nint ldb, T* c, nint ldc, int n, T alpha, T beta)
        where T : unmanaged, INumber<T>
    {
        int w = Vector512<T>.Count;
        nint r1 = Math.Min(1, rows - 1) * rs, r2 = Math.Min(2, rows - 1) * rs, r3 = Math.Min(3, rows - 1) * rs, r4 = Math.Min(4, rows - 1) * rs;
        Vector512<T> mask = FirstLanes<T>(n);
        Vector512<T> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default;
        for (int q = 0; q < k; q++)
        {
            Vector512<T> y = n == w ? Vector512.Load(b) : MaskLoad(b, mask);
            s0 = Fma(Vector512.Create(a[0]), y, s0);
            s1 = Fma(Vector512.Create(a[r1]), y, s1);
            s2 = Fma(Vector512.Create(a[r2]), y, s2);
            s3 = Fma(Vector512.Create(a[r3]), y, s3);
            s4 = Fma(Vector512.Create(a[r4]), y, s4);
            a += ks;
            b += ldb;
        }
        Partial(c, mask, s0, alpha, beta);
        if (rows > 1) Partial(c + ldc, mask, s1, alpha, beta);
        if (rows > 2) Partial(c + 2 * ldc, mask, s2, alpha, beta);
        if (rows > 3) Partial(c + 3 * ldc, mask, s3, alpha, beta);
        if (rows > 4) Partial(c + 4 * ldc, mask, s4, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T>(T* c, int w, Vector512<T> alpha, Vector512<T> beta, int mode,
        Vector512<T> v0, Vector512<T> v1, Vector512<T> v2, Vector512<T> v3) where T : unmanaged
    {
        Store(c, v0, alpha, beta, mode);
        Store(c + w, v1, alpha, beta, mode);
        Store(c + 2 * w, v2, alpha, beta, mode);
        Store(c + 3 * w, v3, alpha, beta, mode);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Partial<T>(T* c, Vector512<T> mask, Vector512<T> acc, T alpha, T beta) where T : unmanaged, INumber<T>
    {
        Vector512<T> r = acc * Vector512.Create(alpha);
        if (beta != T.Zero)
            r = Fma(Vector512.Create(beta), MaskLoad(c, mask), r);
        MaskStore(c, mask, r);
    }
}

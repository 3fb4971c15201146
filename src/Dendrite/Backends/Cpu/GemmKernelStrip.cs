using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Unpacked single-precision GEMM for mid-size problems such as the 100×100×100 products of a 100-wide MLP layer
/// on a batch of 100. C is swept in column strips of up to 64 (four zmm vectors, the last one masked) and row tiles
/// of up to 6, so a 100-wide C costs 7 vectors per row (89 % of the lanes busy) where the packed 12×32 tile spends 8
/// and rounds the rows up to a multiple of 12. op(B)'s rows are read in place (a transposed B is first copied
/// to k×n once per call); op(A)'s values are broadcast straight from A, whose layout only changes the strides.
/// The kernels are deliberately not marked AggressiveOptimization, so ReadyToRun precompiles them: the packed
/// driver's first call JIT-compiles half a dozen methods (several ms inside a short training run).
/// </summary>
internal static unsafe partial class GemmKernelStrip
{
    private const int W = 16, StripVectors = 4, TileRows = 6;

    /// <summary>Largest m·n·k taken here: beyond it the packed driver's cache blocking and threads pay off.</summary>
    internal const long MaxWork = 1L << 21;

    /// <summary>Largest depth: a k×64 strip of B (64 KiB at 256) must stay in L1/L2 while the row tiles sweep it.</summary>
    internal const int MaxK = 256;

    /// <summary>From this many multiply-adds the row tiles are split over the kernel threads. Higher than the packed
    /// driver's threshold: W2's 100³ products (about 10 µs each) ran slower split over 2 threads on a shared 2-core
    /// machine (0.147 → 0.169 s per W2 run).</summary>
    internal const long ParallelWork = 1L << 20;

    /// <summary>Store mode that adds a per-column bias instead of beta·C (the others are <see cref="GemmSimd.Mode{T}"/>'s 0-2).</summary>
    private const int BiasMode = 3;

    [ThreadStatic] private static float[]? t_bt;

    /// <summary>True for float problems of moderate size (see <see cref="MaxWork"/>, <see cref="MaxK"/>) with C wider
    /// than one vector, on AVX-512.</summary>
    public static bool Applies(in GemmProblem<float> p, GemmIsa isa)
        => isa == GemmIsa.Avx512 && (long)p.M * p.N * p.K <= MaxWork
           && ((p.N > W && p.K <= MaxK && (long)p.K * p.N <= int.MaxValue / 2) || IsColumnT(in p));

    /// <summary>One output column of Aᵀ·b (a weight gradient gᵀ·x for a single input feature): computed as the row
    /// cᵀ = bᵀ·A, which reads A's rows (stored k×m) contiguously, 64 outputs per pass.</summary>
    private static bool IsColumnT(in GemmProblem<float> p) => p.N == 1 && p.TransA && p.Ldc == 1 && p.M > W;

    /// <summary>C = alpha·op(A)·op(B) + beta·C on the calling thread.</summary>
    public static void Run(in GemmProblem<float> p) => Run(in p, null);

    /// <summary>True when <see cref="Run(in GemmProblem{float}, float*)"/> can add a column bias (every problem this
    /// path takes except the single-column Aᵀ·b form).</summary>
    public static bool AppliesWithBias(in GemmProblem<float> p, GemmIsa isa) => Applies(in p, isa) && !IsColumnT(in p);

    /// <summary>C = alpha·op(A)·op(B) + beta·C, or with <paramref name="bias"/> (n values) C = alpha·op(A)·op(B) + bias
    /// on every row (beta ignored, C not read): a Linear layer's y = x·Wᵀ + b in one pass.</summary>
    public static void Run(in GemmProblem<float> p, float* bias)
    {
        int m = p.M, n = p.N, k = p.K;
        if (IsColumnT(in p))
        {
            // cᵀ [1×m] = bᵀ [1×k] · A [k×m]: the single "row" of op(A') steps through op(B)'s column (stride ldb,
            // or 1 when B is stored as the row 1×k).
            var t = new GemmProblem<float> { TransA = true, M = 1, N = m, K = k, Alpha = p.Alpha, Beta = p.Beta,
                A = p.B, Lda = p.TransB ? 1 : p.Ldb, C = p.C, Ldc = m };
            Sweep(in t, 1, m, k, p.A, p.Lda, null);
            return;
        }
        float* b = p.B;
        nint ldb = p.Ldb;
        if (p.TransB)
        {
            // B is stored n×k: copy op(B) = Bᵀ to a dense k×n scratch so that each step reads one contiguous row.
            ldb = (n + W - 1) / W * W;
            int len = k * (int)ldb + W;
            if (t_bt is null || t_bt.Length < len)
                t_bt = GC.AllocateUninitializedArray<float>(Math.Max(len, 4096), pinned: true);
            fixed (float* bt0 = t_bt)
            {
                float* bt = (float*)(((nint)bt0 + 63) & ~(nint)63);
                Transpose(p.B, p.Ldb, n, k, bt, ldb);
                Sweep(in p, m, n, k, bt, ldb, bias);
            }
            return;
        }
        Sweep(in p, m, n, k, b, ldb, bias);
    }

    /// <summary>C = alpha·op(A)·op(B) + beta·C with op(B) read as k×n rows of stride <paramref name="ldb"/>; above the
    /// driver's parallel threshold the row tiles are split over the kernel threads (op(B) is shared, read-only).</summary>
    private static void Sweep(in GemmProblem<float> p, int m, int n, int k, float* b, nint ldb, float* bias)
    {
        int tiles = (m + TileRows - 1) / TileRows;
        int chunks = (long)m * n * k >= ParallelWork ? Math.Min(Threads.Count, tiles) : 1;
        if (chunks <= 1)
        {
            SweepRows(in p, 0, m, n, k, b, ldb, bias);
            return;
        }
        var body = new RowsBody { Problem = p, B = b, Ldb = ldb, Bias = bias, Chunks = chunks, Tiles = tiles };
        CpuParallel.For(chunks, in body);
    }

    /// <summary>Chunk <c>index</c> of <see cref="Chunks"/>: a contiguous run of whole row tiles.</summary>
    private struct RowsBody : IParallelBody
    {
        public GemmProblem<float> Problem;
        public float* B, Bias;
        public nint Ldb;
        public int Chunks, Tiles;

        public readonly void Invoke(int index)
        {
            int i0 = (int)((long)Tiles * index / Chunks) * TileRows;
            int i1 = Math.Min(Problem.M, (int)((long)Tiles * (index + 1) / Chunks) * TileRows);
            if (i1 > i0)
                SweepRows(in Problem, i0, i1, Problem.N, Problem.K, B, Ldb, Bias);
        }
    }

    private static void SweepRows(in GemmProblem<float> p, int i0, int i1, int n, int k, float* b, nint ldb, float* bias)
    {
        // Strides of op(A): row r, step q at r·ars + q·aks.
        nint ars = p.TransA ? 1 : p.Lda, aks = p.TransA ? p.Lda : 1;
        int mode = bias is null ? GemmSimd.Mode(p.Beta) : BiasMode;
        float* a = p.A + i0 * ars;
        float* c0 = p.C + i0 * p.Ldc;
        for (int j0 = 0; j0 < n; j0 += StripVectors * W)
        {
            int cols = Math.Min(StripVectors * W, n - j0);
            int vectors = (cols + W - 1) / W;
            var mask = GemmSimd.FirstLanes<float>(cols - (vectors - 1) * W);
            var s = new Strip { A = a, Ars = ars, Aks = aks, B = b + j0, Ldb = ldb, C = c0 + j0, Ldc = p.Ldc,
                M = i1 - i0, K = k, Alpha = p.Alpha, Beta = p.Beta, Mode = mode, Mask = mask,
                Bias = bias is null ? null : bias + j0 };
            switch (vectors)
            {
                case 1: Rows<V1>(in s); break;
                case 2: Rows<V2>(in s); break;
                case 3: Rows<V3>(in s); break;
                default: Rows<V4>(in s); break;
            }
        }
    }

    /// <summary>One column strip: its operands and the store parameters.</summary>
    private struct Strip
    {
        public float* A, B, C, Bias;
        public nint Ars, Aks, Ldb, Ldc;
        public int M, K, Mode;
        public float Alpha, Beta;
        public Vector512<float> Mask;
    }

    private static void Rows<TV>(in Strip s) where TV : struct, IConst
    {
        int i = 0;
        for (; i + TileRows <= s.M; i += TileRows)
            Tile<R6, TV>(in s, i);
        switch (s.M - i)
        {
            case 1: Tile<R1, TV>(in s, i); break;
            case 2: Tile<R2, TV>(in s, i); break;
            case 3: Tile<R3, TV>(in s, i); break;
            case 4: Tile<R4, TV>(in s, i); break;
            case 5: Tile<R5, TV>(in s, i); break;
        }
    }

    /// <summary>C rows [i, i + TR) × the strip's TV vectors = alpha·op(A)·op(B) + beta·C, accumulated in registers over k.</summary>
    [SkipLocalsInit]
    private static void Tile<TR, TV>(in Strip s, int i) where TR : struct, IConst where TV : struct, IConst
    {
        int R = TR.Value, V = TV.Value;
        float* a = s.A + i * s.Ars;
        float* b = s.B;
        nint o1 = s.Ars, o2 = 2 * s.Ars, o3 = 3 * s.Ars, o4 = 4 * s.Ars, o5 = 5 * s.Ars, aks = s.Aks, ldb = s.Ldb;
        Vector512<float> mask = s.Mask;
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c43 = default;
        Vector512<float> c50 = default, c51 = default, c52 = default, c53 = default;
        for (int q = s.K; q > 0; q--)
        {
            Vector512<float> b0 = LoadB(b, 0, V, mask);
            Vector512<float> b1 = V > 1 ? LoadB(b, 1, V, mask) : default;
            Vector512<float> b2 = V > 2 ? LoadB(b, 2, V, mask) : default;
            Vector512<float> b3 = V > 3 ? LoadB(b, 3, V, mask) : default;
            Vector512<float> x = Vector512.Create(a[0]);
            c00 = Fma(x, b0, c00);
            if (V > 1) c01 = Fma(x, b1, c01);
            if (V > 2) c02 = Fma(x, b2, c02);
            if (V > 3) c03 = Fma(x, b3, c03);
            if (R > 1)
            {
                x = Vector512.Create(a[o1]);
                c10 = Fma(x, b0, c10);
                if (V > 1) c11 = Fma(x, b1, c11);
                if (V > 2) c12 = Fma(x, b2, c12);
                if (V > 3) c13 = Fma(x, b3, c13);
            }
            if (R > 2)
            {
                x = Vector512.Create(a[o2]);
                c20 = Fma(x, b0, c20);
                if (V > 1) c21 = Fma(x, b1, c21);
                if (V > 2) c22 = Fma(x, b2, c22);
                if (V > 3) c23 = Fma(x, b3, c23);
            }
            if (R > 3)
            {
                x = Vector512.Create(a[o3]);
                c30 = Fma(x, b0, c30);
                if (V > 1) c31 = Fma(x, b1, c31);
                if (V > 2) c32 = Fma(x, b2, c32);
                if (V > 3) c33 = Fma(x, b3, c33);
            }
            if (R > 4)
            {
                x = Vector512.Create(a[o4]);
                c40 = Fma(x, b0, c40);
                if (V > 1) c41 = Fma(x, b1, c41);
                if (V > 2) c42 = Fma(x, b2, c42);
                if (V > 3) c43 = Fma(x, b3, c43);
            }
            if (R > 5)
            {
                x = Vector512.Create(a[o5]);
                c50 = Fma(x, b0, c50);
                if (V > 1) c51 = Fma(x, b1, c51);
                if (V > 2) c52 = Fma(x, b2, c52);
                if (V > 3) c53 = Fma(x, b3, c53);
            }
            a += aks;
            b += ldb;
        }

        float* c = s.C + i * s.Ldc;
        var va = Vector512.Create(s.Alpha);
        var vb = Vector512.Create(s.Beta);
        int mode = s.Mode;
        float* bias = s.Bias;
        StoreRow(c, V, c00, c01, c02, c03, va, vb, mode, mask, bias);
        if (R > 1) StoreRow(c + s.Ldc, V, c10, c11, c12, c13, va, vb, mode, mask, bias);
        if (R > 2) StoreRow(c + 2 * s.Ldc, V, c20, c21, c22, c23, va, vb, mode, mask, bias);
        if (R > 3) StoreRow(c + 3 * s.Ldc, V, c30, c31, c32, c33, va, vb, mode, mask, bias);
        if (R > 4) StoreRow(c + 4 * s.Ldc, V, c40, c41, c42, c43, va, vb, mode, mask, bias);
        if (R > 5) StoreRow(c + 5 * s.Ldc, V, c50, c51, c52, c53, va, vb, mode, mask, bias);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma(Vector512<float> x, Vector512<float> y, Vector512<float> acc)
        => Vector512.FusedMultiplyAdd(x, y, acc);

    /// <summary>Vector <paramref name="v"/> of a B row; the strip's last vector is masked (it may run past column n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> LoadB(float* b, int v, int vectors, Vector512<float> mask)
        => v == vectors - 1 ? Avx512F.MaskLoad(b + v * W, mask, Vector512<float>.Zero) : Vector512.Load(b + v * W);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, int vectors, Vector512<float> r0, Vector512<float> r1, Vector512<float> r2,
        Vector512<float> r3, Vector512<float> alpha, Vector512<float> beta, int mode, Vector512<float> mask, float* bias)
    {
        StoreOne(c, 0, vectors, r0, alpha, beta, mode, mask, bias);
        if (vectors > 1) StoreOne(c, 1, vectors, r1, alpha, beta, mode, mask, bias);
        if (vectors > 2) StoreOne(c, 2, vectors, r2, alpha, beta, mode, mask, bias);
        if (vectors > 3) StoreOne(c, 3, vectors, r3, alpha, beta, mode, mask, bias);
    }

    /// <summary>Writes alpha·acc (+ beta·C) to vector <paramref name="v"/> of a C row; mode as in <see cref="GemmSimd.Mode{T}"/>,
    /// or <see cref="BiasMode"/>: alpha·acc + the bias vector, C not read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreOne(float* c, int v, int vectors, Vector512<float> acc, Vector512<float> alpha,
        Vector512<float> beta, int mode, Vector512<float> mask, float* bias)
    {
        float* cv = c + v * W;
        Vector512<float> r = acc * alpha;
        if (v == vectors - 1)
        {
            if (mode == BiasMode)
                r += Avx512F.MaskLoad(bias + v * W, mask, Vector512<float>.Zero);
            else if (mode == 1)
                r += Avx512F.MaskLoad(cv, mask, Vector512<float>.Zero);
            else if (mode == 2)
                r = Vector512.FusedMultiplyAdd(beta, Avx512F.MaskLoad(cv, mask, Vector512<float>.Zero), r);
            Avx512F.MaskStore(cv, mask, r);
            return;
        }
        if (mode == BiasMode)
            r += Vector512.Load(bias + v * W);
        else if (mode == 1)
            r += Vector512.Load(cv);
        else if (mode == 2)
            r = Vector512.FusedMultiplyAdd(beta, Vector512.Load(cv), r);
        Vector512.Store(r, cv);
    }

    /// <summary>A compile-time integer for specialising the tile (rows or vectors).</summary>
    private interface IConst
    {
        static abstract int Value { get; }
    }

    private readonly struct R1 : IConst { public static int Value => 1; }

    private readonly struct R2 : IConst { public static int Value => 2; }

    private readonly struct R3 : IConst { public static int Value => 3; }

    private readonly struct R4 : IConst { public static int Value => 4; }

    private readonly struct R5 : IConst { public static int Value => 5; }

    private readonly struct R6 : IConst { public static int Value => 6; }

    private readonly struct V1 : IConst { public static int Value => 1; }

    private readonly struct V2 : IConst { public static int Value => 2; }

    private readonly struct V3 : IConst { public static int Value => 3; }

    private readonly struct V4 : IConst { public static int Value => 4; }
}

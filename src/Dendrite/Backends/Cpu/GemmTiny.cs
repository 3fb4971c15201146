using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Single-precision GEMM for shapes where n·k or m·n is a handful of elements, as in a 2-5-1 MLP on a batch of
/// 640: x·Wᵀ with k = 2, n = 5 ([640, 5] output), g·W with k = 1, or the weight gradient gᵀ·x ([5, 2] output over
/// a depth of 640). Row-wise kernels would use 5 of 16 lanes and pay a masked store per row; here C is produced
/// in its flat memory order, 16 elements per vector, and the operands are brought into that order with in-register
/// permutes from one unaligned load.
/// The kernels are deliberately not marked AggressiveOptimization: that attribute keeps ReadyToRun from precompiling
/// them, and JIT-compiling them on first use costs 15-20 ms per instantiation.
/// </summary>
internal static unsafe class GemmTiny
{
    private const int W = 16;

    /// <summary>
    /// Flat-output form: A not transposed with rows packed (lda = k), C packed (ldc = n), n ≤ 16, and every run of 16
    /// consecutive elements of C needs at most 16 consecutive elements of A (rows spanned × k ≤ 16).
    /// </summary>
    public static bool AppliesFlat(in GemmProblem<float> p, GemmIsa isa)
        => isa == GemmIsa.Avx512 && !p.TransA && p.Lda == p.K && p.Ldc == p.N && p.N <= W && (long)p.M * p.N >= W
           && RowsSpanned(p.N) * p.K <= W;

    /// <summary>Outer-product form: C has at most 16 elements (m·n ≤ 16) and step q's m values of op(A) and n values
    /// of op(B) are contiguous: A transposed (or a single row, m = 1) and B not transposed (or a single column).</summary>
    public static bool AppliesOuter(in GemmProblem<float> p, GemmIsa isa)
        => isa == GemmIsa.Avx512 && (p.TransA || p.M == 1) && (!p.TransB || p.N == 1) && p.M * p.N <= W && p.K >= 4;

    /// <summary>Column form: one output column (n = 1), a short depth (k &lt; 16) and A not transposed, as in a
    /// Linear layer with a single output on a small input (x [640, 5]·w [1, 5]ᵀ).</summary>
    public static bool AppliesColumn(in GemmProblem<float> p, GemmIsa isa)
        => isa == GemmIsa.Avx512 && !p.TransA && p.N == 1 && p.K < W && p.M >= W && (long)p.M * p.Lda < int.MaxValue;

    /// <summary>For n = 0..16: the most rows of a packed C with n columns that 16 consecutive elements can touch.</summary>
    private static readonly int[] Spanned = BuildSpanned();

    private static int RowsSpanned(int n) => Spanned[n];

    private static int[] BuildSpanned()
    {
        var t = new int[W + 1];
        for (int n = 1; n <= W; n++)
            for (int v = 0; v < n; v++) // the start column 16v mod n cycles with period dividing n
                t[n] = Math.Max(t[n], (W * v + W - 1) / n - W * v / n + 1);
        return t;
    }

    /// <summary>C = alpha·A·op(B) + beta·C in flat order (see <see cref="AppliesFlat"/>).</summary>
    [SkipLocalsInit]
    public static void RunFlat(in GemmProblem<float> p)
    {
        int m = p.M, n = p.N, k = p.K;
        // C vectors repeat their column pattern every `period` vectors (lcm(n, 16) / 16 ≤ 16), which advance
        // `rowsPerPeriod` rows. For vector v of a period: pattern[v·k + q] holds op(B)(q, column of each lane), and
        // index[v] the position of each lane's row in the A window that starts at row `first[v]` of that period.
        // gcd(n, 16) is n's lowest set bit (n ≤ 16), so period = n / gcd and rowsPerPeriod = 16 / gcd, both ≤ 16.
        int tz = System.Numerics.BitOperations.TrailingZeroCount(n);
        int period = n >> tz, rowsPerPeriod = W >> tz;
        // op(B) as a dense k×n table with alpha folded in (k·n ≤ 256: k ≤ 16 since rows spanned × k ≤ 16).
        float* table = stackalloc float[k * n];
        nint bq = p.TransB ? 1 : p.Ldb, bj = p.TransB ? p.Ldb : 1;
        for (int q = 0; q < k; q++)
            for (int j = 0; j < n; j++)
                table[q * n + j] = p.Alpha * p.B[q * bq + j * bj];
        // For vector v of a period and step q: pattern[v·k + q] holds op(B)(q, column of each lane), index[v·k + q]
        // the position of element (lane's row, q) in the A window that starts at row first[v] of the period.
        Vector512<float>* pattern = stackalloc Vector512<float>[period * k];
        Vector512<int>* index = stackalloc Vector512<int>[period * k];
        int* first = stackalloc int[period];
        float* lane = stackalloc float[W];
        int* laneIndex = stackalloc int[W];
        // Walk one period of C in flat order with a running (row, column); no divisions per lane.
        int row = 0, col = 0;
        for (int v = 0; v < period; v++)
        {
            first[v] = row;
            int startCol = col;
            for (int q = 0; q < k; q++)
            {
                int r = 0;
                col = startCol;
                for (int l = 0; l < W; l++)
                {
                    lane[l] = table[q * n + col];
                    laneIndex[l] = r * k + q;
                    if (++col == n)
                    {
                        col = 0;
                        r++;
                    }
                }
                pattern[v * k + q] = Vector512.Load(lane);
                index[v * k + q] = Vector512.Load(laneIndex);
                if (q == k - 1)
                    row += r;
            }
        }
        long total = (long)m * n;
        long lastFullWindow = (long)m * k - W; // a window starting at or before this lies inside A
        float* a = p.A, c = p.C;
        var beta = Vector512.Create(p.Beta);
        bool readC = p.Beta != 0f;
        long f = 0;
        for (long rowBase = 0; f < total; rowBase += rowsPerPeriod)
        {
            for (int v = 0; v < period && f < total; v++, f += W)
            {
                long start = (rowBase + first[v]) * k;
                Vector512<float> window = start <= lastFullWindow
                    ? Vector512.Load(a + start)
                    : Avx512F.MaskLoad(a + start, GemmSimd.FirstLanes<float>((int)((long)m * k - start)), Vector512<float>.Zero);
                Vector512<float>* pat = pattern + v * k;
                Vector512<int>* idx = index + v * k;
                Vector512<float> acc = Avx512F.PermuteVar16x32(window, idx[0]) * pat[0];
                for (int q = 1; q < k; q++)
                    acc = Vector512.FusedMultiplyAdd(Avx512F.PermuteVar16x32(window, idx[q]), pat[q], acc);
                if (f + W <= total)
                {
                    if (readC)
                        acc = Vector512.FusedMultiplyAdd(beta, Vector512.Load(c + f), acc);
                    Vector512.Store(acc, c + f);
                }
                else
                {
                    Vector512<float> mask = GemmSimd.FirstLanes<float>((int)(total - f));
                    if (readC)
                        acc = Vector512.FusedMultiplyAdd(beta, Avx512F.MaskLoad(c + f, mask, Vector512<float>.Zero), acc);
                    Avx512F.MaskStore(c + f, mask, acc);
                }
            }
        }
    }

    /// <summary>C = alpha·A·b + beta·C for a single column b (see <see cref="AppliesColumn"/>): 16 rows at a time,
    /// column q of those rows of A comes from one gather.</summary>
    [SkipLocalsInit]
    public static void RunColumn(in GemmProblem<float> p)
    {
        int m = p.M, k = p.K;
        nint lda = p.Lda, ldc = p.Ldc;
        // op(B) is k×1: element q is B[q·ldb] (not transposed) or B[q] (transposed: a 1×k row).
        float* bq = stackalloc float[W];
        for (int q = 0; q < k; q++)
            bq[q] = p.Alpha * (p.TransB ? p.B[q] : p.B[q * p.Ldb]);
        Vector256<int> rowOffsets = Vector256<int>.Indices * Vector256.Create((int)lda);
        bool readC = p.Beta != 0f;
        var beta = Vector512.Create(p.Beta);
        float* lanes = stackalloc float[W]; // a strided C column is written from here
        int i = 0;
        for (; i + W <= m; i += W)
        {
            float* a = p.A + i * lda;
            Vector512<float> acc = Column(a, 8 * lda, rowOffsets) * Vector512.Create(bq[0]);
            for (int q = 1; q < k; q++)
                acc = Vector512.FusedMultiplyAdd(Column(a + q, 8 * lda, rowOffsets), Vector512.Create(bq[q]), acc);
            float* c = p.C + i * ldc;
            if (ldc == 1)
            {
                if (readC)
                    acc = Vector512.FusedMultiplyAdd(beta, Vector512.Load(c), acc);
                Vector512.Store(acc, c);
            }
            else
            {
                acc.Store(lanes);
                for (int l = 0; l < W; l++)
                    c[l * ldc] = readC ? lanes[l] + p.Beta * c[l * ldc] : lanes[l];
            }
        }
        for (; i < m; i++)
        {
            float* a = p.A + i * lda;
            float sum = 0f;
            for (int q = 0; q < k; q++)
                sum += a[q] * bq[q];
            float* c = p.C + i * ldc;
            *c = readC ? sum + p.Beta * *c : sum;
        }
    }

    /// <summary>a[l·lda] for l = 0..15, as two 8-lane gathers (rows 8..15 start <paramref name="half"/> further).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Column(float* a, nint half, Vector256<int> offsets)
        => Vector512.Create(Avx2.GatherVector256(a, offsets, 4), Avx2.GatherVector256(a + half, offsets, 4));

    /// <summary>C = alpha·Aᵀ·B + beta·C as a sum of k outer products (see <see cref="AppliesOuter"/>).</summary>
    [SkipLocalsInit]
    public static void RunOuter(in GemmProblem<float> p)
    {
        int m = p.M, n = p.N, k = p.K;
        // Lane l of the flat m×n result is (i, j) = (l / n, l % n): it multiplies A-row element i by B-row element j.
        int* laneIndex = stackalloc int[W];
        for (int l = 0; l < W; l++)
            laneIndex[l] = l < m * n ? l / n : 0;
        Vector512<int> ia = Vector512.Load(laneIndex);
        for (int l = 0; l < W; l++)
            laneIndex[l] = l < m * n ? l % n : 0;
        Vector512<int> ib = Vector512.Load(laneIndex);
        Vector512<float> maskA = GemmSimd.FirstLanes<float>(m), maskB = GemmSimd.FirstLanes<float>(n);
        float* a = p.A, b = p.B;
        // Distance between consecutive steps q: a row of the stored matrix, or 1 along a single row/column.
        nint lda = p.TransA ? p.Lda : 1, ldb = p.TransB ? 1 : p.Ldb;
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int q = 0;
        for (; q + 4 <= k; q += 4)
        {
            s0 = Step(a, b, maskA, maskB, ia, ib, s0);
            s1 = Step(a + lda, b + ldb, maskA, maskB, ia, ib, s1);
            s2 = Step(a + 2 * lda, b + 2 * ldb, maskA, maskB, ia, ib, s2);
            s3 = Step(a + 3 * lda, b + 3 * ldb, maskA, maskB, ia, ib, s3);
            a += 4 * lda;
            b += 4 * ldb;
        }
        for (; q < k; q++)
        {
            s0 = Step(a, b, maskA, maskB, ia, ib, s0);
            a += lda;
            b += ldb;
        }
        Vector512<float> sum = (s0 + s1) + (s2 + s3);
        float* flat = stackalloc float[W];
        Vector512.Store(sum * Vector512.Create(p.Alpha), flat);
        for (int i = 0; i < m; i++)
        {
            float* row = p.C + i * p.Ldc;
            for (int j = 0; j < n; j++)
                row[j] = p.Beta == 0f ? flat[i * n + j] : flat[i * n + j] + p.Beta * row[j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Step(float* a, float* b, Vector512<float> maskA, Vector512<float> maskB,
        Vector512<int> ia, Vector512<int> ib, Vector512<float> acc)
    {
        Vector512<float> x = Avx512F.MaskLoad(a, maskA, Vector512<float>.Zero);
        Vector512<float> y = Avx512F.MaskLoad(b, maskB, Vector512<float>.Zero);
        return Vector512.FusedMultiplyAdd(Avx512F.PermuteVar16x32(x, ia), Avx512F.PermuteVar16x32(y, ib), acc);
    }
}

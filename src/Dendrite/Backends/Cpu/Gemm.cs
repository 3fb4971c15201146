using System.Numerics;
using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Row-major BLAS-style matrix multiplication on the CPU:
/// <c>C[m×n] = alpha·op(A)·op(B) + beta·C</c>, where op(X) is X or Xᵀ.
/// </summary>
/// <remarks>
/// Large problems use a cache-blocked, packed algorithm with an AVX-512 / AVX2 FMA register tile
/// and are split over <see cref="Threads.Count"/> threads; tiny ones use a direct loop. With
/// beta = 0, C is only written, never read (NaN or garbage in C does not propagate).
/// </remarks>
public static unsafe class Gemm
{
    /// <summary>At or below this many multiply-adds (m·n·k) the unpacked loop is used.</summary>
    internal static long SmallThreshold = 2048;

    /// <summary>Single-precision GEMM: <c>C = alpha·op(A)·op(B) + beta·C</c>, all row-major.</summary>
    /// <param name="transA">False: A is m×k. True: A is stored k×m and op(A) = Aᵀ.</param>
    /// <param name="transB">False: B is k×n. True: B is stored n×k and op(B) = Bᵀ.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A's storage.</param>
    /// <param name="lda">Row stride of A's storage (≥ its row length: k, or m when transposed).</param>
    /// <param name="b">B's storage.</param>
    /// <param name="ldb">Row stride of B's storage (≥ n, or k when transposed).</param>
    /// <param name="beta">Scale of C's old value; 0 means C is overwritten without being read.</param>
    /// <param name="c">C's storage (m rows of n, stride <paramref name="ldc"/>).</param>
    /// <param name="ldc">Row stride of C (≥ n).</param>
    /// <exception cref="ArgumentException">A size is negative, a leading dimension is smaller than
    /// the row it holds, or a span is too short for the described matrix.</exception>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>Double-precision GEMM: <c>C = alpha·op(A)·op(B) + beta·C</c>, all row-major.</summary>
    /// <param name="transA">False: A is m×k. True: A is stored k×m and op(A) = Aᵀ.</param>
    /// <param name="transB">False: B is k×n. True: B is stored n×k and op(B) = Bᵀ.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A's storage.</param>
    /// <param name="lda">Row stride of A's storage (≥ its row length: k, or m when transposed).</param>
    /// <param name="b">B's storage.</param>
    /// <param name="ldb">Row stride of B's storage (≥ n, or k when transposed).</param>
    /// <param name="beta">Scale of C's old value; 0 means C is overwritten without being read.</param>
    /// <param name="c">C's storage (m rows of n, stride <paramref name="ldc"/>).</param>
    /// <param name="ldc">Row stride of C (≥ n).</param>
    /// <exception cref="ArgumentException">A size is negative, a leading dimension is smaller than
    /// the row it holds, or a span is too short for the described matrix.</exception>
    public static void Dgemm(bool transA, bool transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
        => Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    private static void Run<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc) where T : unmanaged, INumber<T>
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"Gemm: sizes must be non-negative, got m={m}, n={n}, k={k}.");
        // Storage shapes: A is m×k (k×m if transposed), B is k×n (n×k), C is m×n.
        CheckMatrix("A", a.Length, transA ? k : m, transA ? m : k, lda, nameof(lda), m, n, k);
        CheckMatrix("B", b.Length, transB ? n : k, transB ? k : n, ldb, nameof(ldb), m, n, k);
        CheckMatrix("C", c.Length, m, n, ldc, nameof(ldc), m, n, k);
        if (m == 0 || n == 0)
            return;

        fixed (T* pa = a, pb = b, pc = c)
        {
            if (k == 0 || alpha == T.Zero)
            {
                ScaleC(pc, m, n, ldc, beta);
                return;
            }
            var problem = new GemmProblem<T>
            {
                TransA = transA, TransB = transB, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
                A = pa, B = pb, C = pc, Lda = lda, Ldb = ldb, Ldc = ldc,
            };
            GemmIsa isa = GemmBlocking.Isa;
            if (typeof(T) == typeof(float) && RunTiny(in Unsafe.As<GemmProblem<T>, GemmProblem<float>>(ref problem), isa))
                return;
            // The strip kernel also beats row-by-row rank-1 updates (k ≤ 4) once C has more rows than a few-rows tile.
            bool strip = typeof(T) == typeof(float) && GemmKernelStrip.Applies(in Unsafe.As<GemmProblem<T>, GemmProblem<float>>(ref problem), isa);
            if ((long)m * n * k <= SmallThreshold || (k <= 4 && !transB && (long)m * n <= 1 << 16 && !(strip && m > 16)))
                GemmSmall.Run(in problem); // tiny, or a few rank-1 updates (k ≤ 4) that packing would only slow down
            else if (GemmDot.Applies(in problem, isa))
                GemmDot.Run(in problem);
            else if (GemmFewRows.Applies(in problem, isa))
                GemmFewRows.Run(in problem);
            else if (strip)
                GemmKernelStrip.Run(in Unsafe.As<GemmProblem<T>, GemmProblem<float>>(ref problem));
            else if (GemmNarrow.Applies<T>(n, isa))
                GemmNarrow.Run(in problem);
            else
                GemmDriver<T>.Run(in problem);
        }
    }

    /// <summary>
    /// C = op(A)·op(B) + bias (n values added to every row; C is not read) in one pass, when <see cref="Sgemm"/> would
    /// run this shape on the strip kernel (so the products round exactly as there); otherwise returns false and
    /// writes nothing.
    /// </summary>
    internal static bool TrySgemmBias(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, ReadOnlySpan<float> bias, Span<float> c, int ldc)
    {
        if (m <= 0 || n <= 0 || k <= 0 || bias.Length < n)
            return false;
        CheckMatrix("A", a.Length, transA ? k : m, transA ? m : k, lda, nameof(lda), m, n, k);
        CheckMatrix("B", b.Length, transB ? n : k, transB ? k : n, ldb, nameof(ldb), m, n, k);
        CheckMatrix("C", c.Length, m, n, ldc, nameof(ldc), m, n, k);
        fixed (float* pa = a, pb = b, pc = c, pbias = bias)
        {
            var p = new GemmProblem<float>
            {
                TransA = transA, TransB = transB, M = m, N = n, K = k, Alpha = 1f, Beta = 1f,
                A = pa, B = pb, C = pc, Lda = lda, Ldb = ldb, Ldc = ldc,
            };
            GemmIsa isa = GemmBlocking.Isa;
            // The same choice as Run: the kernels tried before the strip one keep their shapes.
            if (!GemmKernelStrip.AppliesWithBias(in p, isa) || GemmTiny.AppliesFlat(in p, isa) || GemmTiny.AppliesOuter(in p, isa)
                || GemmTiny.AppliesColumn(in p, isa) || (long)m * n * k <= SmallThreshold
                || (k <= 4 && !transB && (long)m * n <= 1 << 16 && m <= 16)
                || GemmDot.Applies(in p, isa) || GemmFewRows.Applies(in p, isa))
                return false;
            GemmKernelStrip.Run(in p, pbias);
            return true;
        }
    }

    /// <summary>Runs the problem on a <see cref="GemmTiny"/> kernel when one applies; false otherwise.</summary>
    private static bool RunTiny(in GemmProblem<float> p, GemmIsa isa)
    {
        if (GemmTiny.AppliesFlat(in p, isa))
            GemmTiny.RunFlat(in p);
        else if (GemmTiny.AppliesOuter(in p, isa))
            GemmTiny.RunOuter(in p);
        else if (GemmTiny.AppliesColumn(in p, isa))
            GemmTiny.RunColumn(in p);
        else
            return false;
        return true;
    }

    private static void CheckMatrix(string name, int length, int rows, int cols, int ld, string ldName, int m, int n, int k)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentException(
                $"Gemm: {ldName}={ld} is smaller than the {cols} columns of {name}'s storage ({rows}×{cols}); m={m}, n={n}, k={k}.",
                ldName);
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException(
                $"Gemm: span {name} has {length} elements but a {rows}×{cols} matrix with leading dimension {ld} needs {needed}; m={m}, n={n}, k={k}.",
                name.ToLowerInvariant());
    }

    private static void ScaleC<T>(T* c, int m, int n, int ldc, T beta) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + (long)i * ldc, n);
            if (beta == T.Zero)
                row.Clear();
            else if (beta != T.One)
            {
                foreach (ref T x in row)
                    x *= beta;
            }
        }
    }
}

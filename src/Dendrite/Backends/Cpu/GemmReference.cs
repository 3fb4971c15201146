using System.Numerics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// The textbook triple loop for <c>C = alpha·op(A)·op(B) + beta·C</c> (row-major), accumulating in
/// double. Slow; it exists so tests can check the blocked kernels against something obviously right.
/// </summary>
internal static class GemmReference
{
    /// <summary>Reference GEMM with the same argument conventions as <see cref="Gemm.Sgemm"/>.</summary>
    public static void Run<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double al = double.CreateChecked(alpha), be = double.CreateChecked(beta);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    T x = transA ? a[p * lda + i] : a[i * lda + p];
                    T y = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += double.CreateChecked(x) * double.CreateChecked(y);
                }
                double old = be == 0 ? 0 : be * double.CreateChecked(c[i * ldc + j]);
                c[i * ldc + j] = T.CreateChecked(al * sum + old);
            }
        }
    }
}

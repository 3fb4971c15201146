using System.Runtime.CompilerServices;
using System.Numerics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Unpacked GEMM for tiny problems (e.g. 640×2·2×5), where packing and blocking would cost more
/// than the arithmetic. Works straight on the caller's storage.
/// </summary>
internal static unsafe class GemmSmall
{
    /// <summary>C = alpha·op(A)·op(B) + beta·C with the same conventions as the public entry points.</summary>
    public static void Run<T>(in GemmProblem<T> p) where T : unmanaged, INumber<T>
    {
        int m = p.M, n = p.N, k = p.K;
        nint lda = p.Lda, ldb = p.Ldb;
        // Step between consecutive k of row i of op(A), and between rows.
        nint aK = p.TransA ? lda : 1, aRow = p.TransA ? 1 : lda;
        for (int i = 0; i < m; i++)
        {
            T* cr = p.C + i * p.Ldc;
            T* ar = p.A + i * aRow;
            if (!p.TransB)
            {
                // Row of C = beta·row + Σ_p alpha·A(i,p)·B(p,:): an axpy per k along contiguous B rows.
                Scale(cr, n, p.Beta);
                for (int q = 0; q < k; q++)
                    Axpy(p.Alpha * ar[q * aK], p.B + q * ldb, cr, n);
            }
            else
            {
                // op(B) = Bᵀ: C(i,j) is a dot product of row i of op(A) with row j of B's storage.
                for (int j = 0; j < n; j++)
                {
                    T* br = p.B + j * ldb;
                    T sum = p.TransA ? StridedDot(ar, aK, br, k) : Dot(ar, br, k);
                    cr[j] = p.Beta == T.Zero ? p.Alpha * sum : p.Alpha * sum + p.Beta * cr[j];
                }
            }
        }
    }

    private static void Scale<T>(T* x, int n, T beta) where T : unmanaged, INumber<T>
    {
        if (beta == T.One)
            return;
        if (beta == T.Zero)
        {
            new Span<T>(x, n).Clear();
            return;
        }
        for (int j = 0; j < n; j++)
            x[j] *= beta;
    }

    private static void Axpy<T>(T s, T* x, T* y, int n) where T : unmanaged, INumber<T>
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var vs = new Vector<T>(s);
            for (; j <= n - Vector<T>.Count; j += Vector<T>.Count)
                Vector.Store(Vector.Load(y + j) + vs * Vector.Load(x + j), y + j);
        }
        for (; j < n; j++)
            y[j] += s * x[j];
    }

    private static T Dot<T>(T* x, T* y, int n) where T : unmanaged, INumber<T>
    {
        int j = 0;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var acc = Vector<T>.Zero;
            for (; j <= n - Vector<T>.Count; j += Vector<T>.Count)
                acc += Vector.Load(x + j) * Vector.Load(y + j);
            sum = Vector.Sum(acc);
        }
        for (; j < n; j++)
            sum += x[j] * y[j];
        return sum;
    }

    private static T StridedDot<T>(T* x, nint stride, T* y, int n) where T : unmanaged, INumber<T>
    {
        T sum = T.Zero;
        for (int j = 0; j < n; j++)
            sum += x[j * stride] * y[j];
        return sum;
    }
}

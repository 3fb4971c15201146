using System.Numerics;
using System.Runtime.InteropServices;
namespace Dendrite.Backends.Cpu;

/// <summary>Small shared plumbing for the CPU's NN kernels: a dtype-generic GEMM entry, batch-parallel loops and row helpers.</summary>
internal static class NNKernels
{
    /// <summary>Below this many multiply-adds a batch loop runs on the calling thread.</summary>
    internal const long ParallelWork = 1L << 18;

    /// <summary>C[m×n] = op(A)·op(B) + beta·C for float or double spans (row-major, alpha = 1).</summary>
    public static void Gemm<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0)
            return;
        if (typeof(T) == typeof(float))
            Backends.Cpu.Gemm.Sgemm(transA, transB, m, n, k, 1f, MemoryMarshal.Cast<T, float>(a), Math.Max(lda, 1),
                MemoryMarshal.Cast<T, float>(b), Math.Max(ldb, 1), float.CreateTruncating(beta), MemoryMarshal.Cast<T, float>(c), Math.Max(ldc, 1));
        else
            Backends.Cpu.Gemm.Dgemm(transA, transB, m, n, k, 1.0, MemoryMarshal.Cast<T, double>(a), Math.Max(lda, 1),
                MemoryMarshal.Cast<T, double>(b), Math.Max(ldb, 1), double.CreateTruncating(beta), MemoryMarshal.Cast<T, double>(c), Math.Max(ldc, 1));
    }

    /// <summary>How many chunks to split <paramref name="items"/> independent items into, given the total work.</summary>
    public static int Chunks(int items, long work) =>
        work < ParallelWork || Threads.Count <= 1 ? Math.Min(1, items) : Math.Min(Threads.Count, items);

    /// <summary>The half-open item range [lo, hi) of chunk <paramref name="chunk"/> out of <paramref name="chunks"/>.</summary>
    public static (int Lo, int Hi) Range(int items, int chunks, int chunk) =>
        ((int)((long)items * chunk / chunks), (int)((long)items * (chunk + 1) / chunks));

    /// <summary>
    /// Runs body(0..chunks-1), on up to <see cref="Threads.Count"/> threads when chunks &gt; 1. The pool runs GEMMs
    /// called from inside a chunk inline, so batch-level and GEMM-level parallelism do not oversubscribe the cores.
    /// </summary>
    public static void For(int chunks, Action<int> body)
    {
        if (chunks <= 0)
            return;
        if (chunks == 1)
        {
            body(0);
            return;
        }
        CpuParallel.For(chunks, body);
    }

    /// <summary>Σ (x − mean)², vectorised.</summary>
    public static T SumSquaredDeviation<T>(ReadOnlySpan<T> x, T mean) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        T s = T.Zero;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            var m = new Vector<T>(mean);
            var acc = Vector<T>.Zero;
            var xs = MemoryMarshal.Cast<T, Vector<T>>(x);
            foreach (var v in xs)
            {
                var d = v - m;
                acc += d * d;
            }
            s = Vector.Sum(acc);
            i = xs.Length * Vector<T>.Count;
        }
        for (; i < x.Length; i++)
        {
            T d = x[i] - mean;
            s += d * d;
        }
        return s;
    }

    /// <summary>Σ g·(x − mean), vectorised.</summary>
    public static T DotDeviation<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, T mean) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        T s = T.Zero;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            var m = new Vector<T>(mean);
            var acc = Vector<T>.Zero;
            var xs = MemoryMarshal.Cast<T, Vector<T>>(x);
            var gs = MemoryMarshal.Cast<T, Vector<T>>(g);
            for (int j = 0; j < xs.Length; j++)
                acc += gs[j] * (xs[j] - m);
            s = Vector.Sum(acc);
            i = xs.Length * Vector<T>.Count;
        }
        for (; i < x.Length; i++)
            s += g[i] * (x[i] - mean);
        return s;
    }

    /// <summary>dst = x·a + b elementwise (x and dst may alias), vectorised.</summary>
    public static void Affine<T>(ReadOnlySpan<T> x, T a, T b, Span<T> dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            var va = new Vector<T>(a);
            var vb = new Vector<T>(b);
            var xs = MemoryMarshal.Cast<T, Vector<T>>(x);
            var ds = MemoryMarshal.Cast<T, Vector<T>>(dst);
            for (int j = 0; j < xs.Length; j++)
                ds[j] = xs[j] * va + vb;
            i = xs.Length * Vector<T>.Count;
        }
        for (; i < x.Length; i++)
            dst[i] = x[i] * a + b;
    }
}

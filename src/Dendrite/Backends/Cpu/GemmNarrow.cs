using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static Dendrite.Backends.Cpu.GemmSimd;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// GEMM for narrow outputs (n ≤ one vector: 16 floats with AVX-512), such as a classifier head
/// (256×784 · 784×10). The packed path would waste most of its 32-wide tile and spend more time
/// packing A than multiplying, so here A is read in place (each element is used exactly once) and
/// only op(B) is copied, into a zero-padded k×W panel. Four rows of C are computed together with
/// two accumulators each (even/odd k) to keep eight independent FMA chains in flight.
/// </summary>
internal static unsafe class GemmNarrow
{
    /// <summary>Depth of one packed B block: 4096×16 floats is 256 KiB, resident in L2, and keeps the
    /// panel buffer bounded when k is huge (a long dot product).</summary>
    private const int KBlock = 4096;

    /// <summary>Whether this path handles the problem on the current tile kind.</summary>
    public static bool Applies<T>(int n, GemmIsa isa) where T : unmanaged
        => isa == GemmIsa.Avx512 && n <= Vector512<T>.Count;

    /// <summary>Computes the problem (n ≤ Vector512&lt;T&gt;.Count).</summary>
    public static void Run<T>(in GemmProblem<T> p) where T : unmanaged, INumber<T>
    {
        int w = Vector512<T>.Count;
        long work = (long)p.M * p.N * p.K;
        // Several row chunks per thread: rows are independent here (no shared packing), so finer
        // chunks cost almost nothing and let the other threads absorb one that got preempted.
        int chunks = work >= GemmDriver<T>.ParallelThreshold ? Math.Min(4 * Threads.Count, (p.M + 3) / 4) : 1;
        for (int k0 = 0; k0 < p.K; k0 += KBlock)
        {
            // One depth block at a time; later blocks accumulate onto C (beta = 1).
            GemmProblem<T> block = p;
            block.K = Math.Min(KBlock, p.K - k0);
            block.A = p.A + (p.TransA ? k0 * p.Lda : k0);
            block.B = p.B + (p.TransB ? k0 : k0 * p.Ldb);
            if (k0 > 0)
                block.Beta = T.One;
            var body = new RowsBody<T> { Problem = block, Panel = PackB(in block, w), Chunks = chunks };
            if (chunks <= 1)
                body.Invoke(0);
            else
                CpuParallel.For(chunks, in body);
        }
    }

    /// <summary>op(B) (k×n) into a k×W panel, zero-padded to W columns.</summary>
    private static T* PackB<T>(in GemmProblem<T> p, int w) where T : unmanaged, INumber<T>
    {
        int len = p.K * w + 64 / sizeof(T);
        ref T[]? buffer = ref PanelBuffer<T>.Array;
        if (buffer is null || buffer.Length < len)
            buffer = GC.AllocateUninitializedArray<T>(len, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        T* panel = (T*)((address + 63) & ~(nint)63);
        int n = p.N;
        if (!p.TransB)
        {
            for (int q = 0; q < p.K; q++)
            {
                Buffer.MemoryCopy(p.B + q * p.Ldb, panel + q * w, w * sizeof(T), n * sizeof(T));
                new Span<T>(panel + q * w + n, w - n).Clear();
            }
        }
        else
        {
            if (n < w)
                new Span<T>(panel, p.K * w).Clear();
            for (int j = 0; j < n; j++)
            {
                T* src = p.B + j * p.Ldb;
                for (int q = 0; q < p.K; q++)
                    panel[q * w + j] = src[q];
            }
        }
        return panel;
    }

    private struct RowsBody<T> : IParallelBody where T : unmanaged, INumber<T>
    {
        public GemmProblem<T> Problem;
        public T* Panel;
        public int Chunks;

        public readonly void Invoke(int index)
        {
            ref readonly GemmProblem<T> p = ref Problem;
            // Chunk boundaries on multiples of 4 rows.
            int groups = (p.M + 3) / 4;
            var (i0, i1) = CpuParallel.ChunkRange(groups, index, Chunks, 4, p.M);
            // Row r, step q of op(A) is at A + r·rs + q·ks.
            nint rs = p.TransA ? 1 : p.Lda, ks = p.TransA ? p.Lda : 1;
            int i = i0;
            for (; i + 4 <= i1; i += 4)
                Rows4(p.K, p.A + i * rs, rs, ks, Panel, p.C + i * p.Ldc, p.Ldc, p.N, p.Alpha, p.Beta);
            for (; i < i1; i++)
                Row1(p.K, p.A + i * rs, ks, Panel, p.C + i * p.Ldc, p.N, p.Alpha, p.Beta);
        }
    }

    private static void Rows4<T>(int k, T* a, nint rs, nint ks, T* b, T* c, nint ldc, int n, T alpha, T beta)
        where T : unmanaged, INumber<T>
    {
        int w = Vector512<T>.Count;
        nint rs2 = 2 * rs, rs3 = 3 * rs;
        Vector512<T> e0 = default, e1 = default, e2 = default, e3 = default;
        Vector512<T> o0 = default, o1 = default, o2 = default, o3 = default;
        int q = 0;
        for (; q + 2 <= k; q += 2)
        {
            Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + w);
            T* a1 = a + ks;
            e0 = Fma(Vector512.Create(a[0]), b0, e0);
            e1 = Fma(Vector512.Create(a[rs]), b0, e1);
            e2 = Fma(Vector512.Create(a[rs2]), b0, e2);
            e3 = Fma(Vector512.Create(a[rs3]), b0, e3);
            o0 = Fma(Vector512.Create(a1[0]), b1, o0);
            o1 = Fma(Vector512.Create(a1[rs]), b1, o1);
            o2 = Fma(Vector512.Create(a1[rs2]), b1, o2);
            o3 = Fma(Vector512.Create(a1[rs3]), b1, o3);
            a = a1 + ks;
            b += 2 * w;
        }
        if (q < k)
        {
            Vector512<T> b0 = Vector512.Load(b);
            e0 = Fma(Vector512.Create(a[0]), b0, e0);
            e1 = Fma(Vector512.Create(a[rs]), b0, e1);
            e2 = Fma(Vector512.Create(a[rs2]), b0, e2);
            e3 = Fma(Vector512.Create(a[rs3]), b0, e3);
        }
        StoreRow(c, e0 + o0, n, alpha, beta);
        StoreRow(c + ldc, e1 + o1, n, alpha, beta);
        StoreRow(c + 2 * ldc, e2 + o2, n, alpha, beta);
        StoreRow(c + 3 * ldc, e3 + o3, n, alpha, beta);
    }

    private static void Row1<T>(int k, T* a, nint ks, T* b, T* c, int n, T alpha, T beta)
        where T : unmanaged, INumber<T>
    {
        int w = Vector512<T>.Count;
        Vector512<T> e = default, o = default;
        int q = 0;
        for (; q + 2 <= k; q += 2)
        {
            e = Fma(Vector512.Create(a[0]), Vector512.Load(b), e);
            o = Fma(Vector512.Create(a[ks]), Vector512.Load(b + w), o);
            a += 2 * ks;
            b += 2 * w;
        }
        if (q < k)
            e = Fma(Vector512.Create(a[0]), Vector512.Load(b), e);
        StoreRow(c, e + o, n, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T>(T* c, Vector512<T> acc, int n, T alpha, T beta) where T : unmanaged, INumber<T>
    {
        Vector512<T> r = acc * Vector512.Create(alpha);
        if (n == Vector512<T>.Count)
        {
            Store(c, acc, Vector512.Create(alpha), Vector512.Create(beta), Mode(beta));
            return;
        }
        // Partial row: AVX-512 masked load/store touch only the first n lanes (no fault past them).
        Vector512<T> mask = FirstLanes<T>(n);
        if (beta != T.Zero)
            r = Fma(Vector512.Create(beta), MaskLoad(c, mask), r);
        MaskStore(c, mask, r);
    }

    /// <summary>Per-thread pinned storage for the packed B panel, reused across calls.</summary>
    private static class PanelBuffer<T>
    {
        [ThreadStatic] public static T[]? Array;
    }
}

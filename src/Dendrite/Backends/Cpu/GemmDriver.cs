using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>One GEMM call's operands (pointers into pinned caller memory) and scalars.</summary>
internal unsafe struct GemmProblem<T> where T : unmanaged
{
    public bool TransA, TransB;
    public int M, N, K;
    public T Alpha, Beta;
    public T* A, B, C;
    public nint Lda, Ldb, Ldc;
}

/// <summary>
/// The blocked (packed) GEMM: splits C over threads, then runs the Goto/BLIS loop nest on each
/// piece with that thread's own pack buffers.
/// </summary>
internal static unsafe class GemmDriver<T> where T : unmanaged, INumber<T>
{
    /// <summary>Below this many multiply-adds (m·n·k) a call runs on one thread: splitting costs a
    /// dispatch and duplicated packing, which only pays off from about 80³ up (measured on Zen 5).</summary>
    public static long ParallelThreshold = 1L << 19;

    [ThreadStatic] private static T[]? t_bufA;
    [ThreadStatic] private static T[]? t_bufB;

    /// <summary>Runs the problem, on several threads if it is large enough.</summary>
    public static void Run(in GemmProblem<T> p)
    {
        GemmIsa isa = GemmBlocking.Isa;
        int mr = GemmBlocking.Mr, nr = GemmBlocking.Nr<T>(isa);
        int threads = (long)p.M * p.N * p.K >= ParallelThreshold ? Threads.Count : 1;
        int mPanels = (p.M + mr - 1) / mr, nPanels = (p.N + nr - 1) / nr;
        threads = Math.Min(threads, mPanels * nPanels);
        if (threads <= 1)
        {
            RunBlock(in p, isa, 0, p.M, 0, p.N);
            return;
        }

        // Pick the tm×tn grid of C pieces (tm·tn = threads) whose largest piece, counted in whole
        // register tiles, is smallest; on ties prefer splitting n (each piece then packs less B).
        int bestTm = 1, bestTn = threads;
        long bestCost = long.MaxValue;
        for (int tm = 1; tm <= threads; tm++)
        {
            if (threads % tm != 0)
                continue;
            int tn = threads / tm;
            long cost = (long)((mPanels + tm - 1) / tm) * mr * ((nPanels + tn - 1) / tn) * nr;
            if (cost < bestCost)
            {
                bestCost = cost;
                bestTm = tm;
                bestTn = tn;
            }
        }
        var body = new PieceBody { Problem = p, Isa = isa, Tm = bestTm, Tn = bestTn, MPanels = mPanels, NPanels = nPanels };
        CpuParallel.For(bestTm * bestTn, in body);
    }

    private struct PieceBody : IParallelBody
    {
        public GemmProblem<T> Problem;
        public GemmIsa Isa;
        public int Tm, Tn, MPanels, NPanels;

        public readonly void Invoke(int index)
        {
            int ti = index / Tn, tj = index % Tn;
            int mr = GemmBlocking.Mr, nr = GemmBlocking.Nr<T>(Isa);
            // Split whole register tiles as evenly as possible.
            int i0 = Split(MPanels, Tm, ti) * mr, i1 = Math.Min(Problem.M, Split(MPanels, Tm, ti + 1) * mr);
            int j0 = Split(NPanels, Tn, tj) * nr, j1 = Math.Min(Problem.N, Split(NPanels, Tn, tj + 1) * nr);
            if (i0 < i1 && j0 < j1)
                RunBlock(in Problem, Isa, i0, i1, j0, j1);
        }

        private static int Split(int total, int parts, int index) => (int)((long)total * index / parts);
    }

    /// <summary>Computes rows [i0, i1) × columns [j0, j1) of C on the calling thread.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunBlock(in GemmProblem<T> p, GemmIsa isa, int i0, int i1, int j0, int j1)
    {
        int mr = GemmBlocking.Mr, nr = GemmBlocking.Nr<T>(isa);
        int kcMax = GemmBlocking.Kc<T>(), mcMax = GemmBlocking.Mc<T>(), ncMax = GemmBlocking.Nc<T>();
        int mcCap = Math.Min(mcMax, RoundUp(i1 - i0, mr));
        int ncCap = Math.Min(ncMax, RoundUp(j1 - j0, nr));
        T* bufA = Buffer(ref t_bufA, mcCap * kcMax);
        T* bufB = Buffer(ref t_bufB, ncCap * Math.Min(kcMax, p.K));
        T* tmp = stackalloc T[GemmBlocking.Mr * 64];

        for (int jc = j0; jc < j1; jc += ncMax)
        {
            int nc = Math.Min(ncMax, j1 - jc);
            for (int pc = 0; pc < p.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, p.K - pc);
                T* srcB = p.TransB ? p.B + jc * p.Ldb + pc : p.B + pc * p.Ldb + jc;
                GemmPacking.PackB(p.TransB, srcB, p.Ldb, kc, nc, nr, bufB);
                // Later depth blocks accumulate onto what the first one wrote.
                T beta = pc == 0 ? p.Beta : T.One;
                for (int ic = i0; ic < i1; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, i1 - ic);
                    T* srcA = p.TransA ? p.A + pc * p.Lda + ic : p.A + ic * p.Lda + pc;
                    GemmPacking.PackA(p.TransA, srcA, p.Lda, mc, kc, mr, bufA);
                    MacroKernel(isa, p.TransA, kc, mc, nc, nr, bufA, bufB,
                        p.C + ic * p.Ldc + jc, p.Ldc, p.Alpha, beta, tmp);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MacroKernel(GemmIsa isa, bool transA, int kc, int mc, int nc, int nr,
        T* bufA, T* bufB, T* c, nint ldc, T alpha, T beta, T* tmp)
    {
        const int mr = GemmBlocking.Mr;
        int kcMax = GemmBlocking.Kc<T>();
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            T* bp = bufB + jr * kc;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                T* ap = bufA + ir * kcMax;
                T* cp = c + ir * ldc + jr;
                if (rows == mr && cols == nr)
                {
                    Tile(isa, transA, kc, ap, bp, cp, ldc, alpha, beta);
                    continue;
                }
                // Edge tile: full tile into scratch, then merge only the valid part.
                Tile(isa, transA, kc, ap, bp, tmp, nr, T.One, T.Zero);
                MergeEdge(tmp, nr, cp, ldc, rows, cols, alpha, beta);
            }
        }
    }

    /// <summary>C[0..rows, 0..cols] = alpha·tmp + beta·C for a partial tile computed into scratch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MergeEdge(T* tmp, int nr, T* c, nint ldc, int rows, int cols, T alpha, T beta)
    {
        int w = Vector512<T>.Count;
        if (Avx512F.IsSupported && nr % w == 0)
        {
            var va = Vector512.Create(alpha);
            var vb = Vector512.Create(beta);
            for (int r = 0; r < rows; r++)
            {
                T* cr = c + r * ldc;
                T* tr = tmp + r * nr;
                for (int j = 0; j < cols; j += w)
                {
                    Vector512<T> mask = GemmSimd.FirstLanes<T>(Math.Min(w, cols - j));
                    Vector512<T> v = Vector512.Load(tr + j) * va;
                    if (beta != T.Zero)
                        v = GemmSimd.Fma(vb, GemmSimd.MaskLoad(cr + j, mask), v);
                    GemmSimd.MaskStore(cr + j, mask, v);
                }
            }
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            T* cr = c + r * ldc;
            T* tr = tmp + r * nr;
            for (int j = 0; j < cols; j++)
                cr[j] = beta == T.Zero ? alpha * tr[j] : alpha * tr[j] + beta * cr[j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(GemmIsa isa, bool transA, int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
    {
        if (isa == GemmIsa.Avx512)
        {
            if (transA) GemmKernel512.Run<T, AKMajor>(kc, a, b, c, ldc, alpha, beta);
            else GemmKernel512.Run<T, ARowPanel>(kc, a, b, c, ldc, alpha, beta);
        }
        else if (isa == GemmIsa.Avx256)
        {
            if (transA) GemmKernel256.Run<T, AKMajor>(kc, a, b, c, ldc, alpha, beta);
            else GemmKernel256.Run<T, ARowPanel>(kc, a, b, c, ldc, alpha, beta);
        }
        else
        {
            if (transA) GemmKernelPortable.Run<T, AKMajor>(kc, a, b, c, ldc, alpha, beta);
            else GemmKernelPortable.Run<T, ARowPanel>(kc, a, b, c, ldc, alpha, beta);
        }
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>This thread's pinned pack buffer, 64-byte aligned, grown on demand and then reused.</summary>
    private static T* Buffer(ref T[]? array, int elements)
    {
        int pad = 64 / sizeof(T);
        if (array is null || array.Length < elements + pad)
            array = GC.AllocateUninitializedArray<T>(elements + pad, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        return (T*)((address + 63) & ~(nint)63);
    }
}

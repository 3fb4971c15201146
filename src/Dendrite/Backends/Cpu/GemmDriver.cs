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
/// The blocked (packed) GEMM: the Goto/BLIS loop nest over cache blocks, packing, and the macro
/// kernel that sweeps the register tile over a packed block. Threading is in GemmDriver.Parallel.cs.
/// </summary>
internal static unsafe partial class GemmDriver<T> where T : unmanaged, INumber<T>
{
    /// <summary>Below this many multiply-adds (m·n·k) a call runs on one thread: splitting costs a
    /// dispatch and duplicated packing, which only pays off from about 80³ up (measured on Zen 5).</summary>
    public static long ParallelThreshold = 1L << 19;

    [ThreadStatic] private static T[]? t_bufA;
    [ThreadStatic] private static T[]? t_bufB;

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

        int kcStep = DepthStep(p.K, kcMax), mcStep = RowStep(i1 - i0, mcMax, mr);
        for (int jc = j0; jc < j1; jc += ncMax)
        {
            int nc = Math.Min(ncMax, j1 - jc);
            for (int pc = 0; pc < p.K; pc += kcStep)
            {
                int kc = Math.Min(kcStep, p.K - pc);
                T* srcB = p.TransB ? p.B + jc * p.Ldb + pc : p.B + pc * p.Ldb + jc;
                GemmPacking.PackB(p.TransB, srcB, p.Ldb, kc, nc, nr, bufB);
                // Later depth blocks accumulate onto what the first one wrote.
                T beta = pc == 0 ? p.Beta : T.One;
                for (int ic = i0; ic < i1; ic += mcStep)
                {
                    int mc = Math.Min(mcStep, i1 - ic);
                    T* srcA = p.TransA ? p.A + pc * p.Lda + ic : p.A + ic * p.Lda + pc;
                    GemmPacking.PackA(p.TransA, srcA, p.Lda, mc, kc, mr, bufA);
                    MacroKernel(isa, p.TransA, kc, mc, nc, nr, bufA, bufB,
                        p.C + ic * p.Ldc + jc, p.Ldc, p.Alpha, beta, tmp);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MacroKernel(GemmIsa isa, bool transA, int kc, int mc, int nc, int nr,
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
                if (rows <= 4 && cols == nr && isa == GemmIsa.Avx512)
                {
                    if (transA) GemmKernel512.RunRows4<T, AKMajor>(rows, kc, ap, bp, cp, ldc, alpha, beta);
                    else GemmKernel512.RunRows4<T, ARowPanel>(rows, kc, ap, bp, cp, ldc, alpha, beta);
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
            // The 24-accumulator tile needs the 32 registers that come with AVX-512VL; plain AVX2
            // machines run the micro-panel as two 6-row halves instead of spilling.
            if (Avx512F.VL.IsSupported)
            {
                if (transA) GemmKernel256.Run<T, AKMajor>(kc, a, b, c, ldc, alpha, beta);
                else GemmKernel256.Run<T, ARowPanel>(kc, a, b, c, ldc, alpha, beta);
            }
            else
            {
                if (transA) GemmKernel256Half.RunPair<T, AKMajor>(kc, a, b, c, ldc, alpha, beta);
                else GemmKernel256Half.RunPair<T, ARowPanel>(kc, a, b, c, ldc, alpha, beta);
            }
        }
        else
        {
            if (transA) GemmKernelPortable.Run<T, AKMajor>(kc, a, b, c, ldc, alpha, beta);
            else GemmKernelPortable.Run<T, ARowPanel>(kc, a, b, c, ldc, alpha, beta);
        }
    }

    internal static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>
    /// Depth of each packed block: the k range in equal blocks of at most <paramref name="kcMax"/> (784 = 4 × 196,
    /// not 3 × 256 + 16, whose thin last block costs a whole pass over C for a sixteenth of the work).
    /// </summary>
    internal static int DepthStep(int k, int kcMax)
    {
        int blocks = (k + kcMax - 1) / kcMax;
        return blocks <= 1 ? kcMax : (k + blocks - 1) / blocks;
    }

    /// <summary>Rows of each packed A block: the rows in equal blocks of at most <paramref name="mcMax"/>, whole MR panels.</summary>
    internal static int RowStep(int rows, int mcMax, int mr)
    {
        int blocks = (rows + mcMax - 1) / mcMax;
        return blocks <= 1 ? mcMax : Math.Min(mcMax, RoundUp((rows + blocks - 1) / blocks, mr));
    }

    /// <summary>This thread's pinned pack buffer, 64-byte aligned, grown on demand and then reused.</summary>
    internal static T* Buffer(ref T[]? array, int elements)
    {
        int pad = 64 / sizeof(T);
        if (array is null || array.Length < elements + pad)
            array = GC.AllocateUninitializedArray<T>(elements + pad, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        return (T*)((address + 63) & ~(nint)63);
    }
}

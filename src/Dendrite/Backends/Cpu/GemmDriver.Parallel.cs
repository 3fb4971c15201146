using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Threading for the blocked GEMM. Two strategies:
/// <list type="bullet">
/// <item><b>Static column split</b> (C with at least <see cref="ColumnPanelsPerThread"/> NR panels per thread, or
/// short and wide): each thread runs the whole loop nest on its own slice of columns, in one dispatch.</item>
/// <item><b>Shared B, dynamic row chunks</b> (narrower C with enough rows): for each KC×NC block the
/// threads first pack B together, then claim small chunks of C's rows one at a time, each packing
/// only its own rows of A. Nothing is packed twice, and a thread slowed down by another process
/// on its core simply claims fewer chunks.</item>
/// </list>
/// </summary>
internal static unsafe partial class GemmDriver<T>
{
    /// <summary>Row chunks per thread in the shared-B strategy: more chunks balance better when a
    /// core is shared with other work; fewer pay less per-chunk overhead.</summary>
    private const int ChunksPerThread = 4;

    /// <summary>
    /// From this many NR panels of C per thread, the threads split C's columns: each runs the whole loop nest on its
    /// slice in one dispatch, packing its own part of B and all of A, instead of sharing each packed depth block of B
    /// behind two barriers. The duplicated A packing costs threads/N of the work; on W4's 256×256×784 products
    /// (2 threads) the column split ran 15 % faster, and square GEMMs of 256-2048 gained up to 25 %.
    /// </summary>
    private const int ColumnPanelsPerThread = 4;

    /// <summary>Runs the problem, on several threads if it is large enough.</summary>
    public static void Run(in GemmProblem<T> p)
    {
        GemmIsa isa = GemmBlocking.Isa;
        int mr = GemmBlocking.Mr, nr = GemmBlocking.Nr<T>(isa);
        int threads = (long)p.M * p.N * p.K >= ParallelThreshold ? Threads.Count : 1;
        int mPanels = (p.M + mr - 1) / mr, nPanels = (p.N + nr - 1) / nr;
        threads = Math.Min(threads, mPanels * nPanels);
        if (threads <= 1)
            RunBlock(in p, isa, 0, p.M, 0, p.N);
        else if (nPanels >= ColumnPanelsPerThread * threads)
            RunColumnSplit(in p, isa, threads, nPanels);
        else if (mPanels >= 2 * threads)
            RunSharedB(in p, isa, threads, mPanels);
        else
            RunColumnSplit(in p, isa, threads, nPanels);
    }

    private static void RunSharedB(in GemmProblem<T> p, GemmIsa isa, int threads, int mPanels)
    {
        int nr = GemmBlocking.Nr<T>(isa);
        int kcMax = GemmBlocking.Kc<T>(), mcMax = GemmBlocking.Mc<T>(), ncMax = GemmBlocking.Nc<T>();
        int ncCap = Math.Min(ncMax, RoundUp(p.N, nr));
        // The caller's B buffer is shared: helpers read it only between the two dispatches below.
        T* bufB = Buffer(ref t_bufB, ncCap * Math.Min(kcMax, p.K));
        int tilesPerChunk = Math.Clamp((mPanels + threads * ChunksPerThread - 1) / (threads * ChunksPerThread),
            1, mcMax / GemmBlocking.Mr);
        int rowChunks = (mPanels + tilesPerChunk - 1) / tilesPerChunk;
        int kcStep = DepthStep(p.K, kcMax);

        for (int jc = 0; jc < p.N; jc += ncMax)
        {
            int nc = Math.Min(ncMax, p.N - jc);
            int panels = (nc + nr - 1) / nr;
            for (int pc = 0; pc < p.K; pc += kcStep)
            {
                int kc = Math.Min(kcStep, p.K - pc);
                var pack = new PackBBody
                {
                    Problem = p, Nr = nr, Jc = jc, Pc = pc, Kc = kc, Nc = nc, Panels = panels,
                    Parts = Math.Min(threads, panels), Buffer = bufB,
                };
                CpuParallel.For(pack.Parts, in pack);
                var rows = new RowChunkBody
                {
                    Problem = p, Isa = isa, Jc = jc, Pc = pc, Kc = kc, Nc = nc, TilesPerChunk = tilesPerChunk,
                    Beta = pc == 0 ? p.Beta : T.One, BufferB = bufB,
                };
                CpuParallel.For(rowChunks, in rows);
            }
        }
    }

    /// <summary>Packs a contiguous range of B's NR-wide panels.</summary>
    private struct PackBBody : IParallelBody
    {
        public GemmProblem<T> Problem;
        public int Nr, Jc, Pc, Kc, Nc, Panels, Parts;
        public T* Buffer;

        public readonly void Invoke(int index)
        {
            int q0 = (int)((long)Panels * index / Parts), q1 = (int)((long)Panels * (index + 1) / Parts);
            int j0 = Jc + q0 * Nr, cols = Math.Min(Nc, q1 * Nr) - q0 * Nr;
            if (cols <= 0)
                return;
            ref readonly GemmProblem<T> p = ref Problem;
            T* src = p.TransB ? p.B + j0 * p.Ldb + Pc : p.B + Pc * p.Ldb + j0;
            GemmPacking.PackB(p.TransB, src, p.Ldb, Kc, cols, Nr, Buffer + q0 * Nr * Kc);
        }
    }

    /// <summary>Packs one chunk of A's rows and multiplies it by the shared packed B block.</summary>
    private struct RowChunkBody : IParallelBody
    {
        public GemmProblem<T> Problem;
        public GemmIsa Isa;
        public int Jc, Pc, Kc, Nc, TilesPerChunk;
        public T Beta;
        public T* BufferB;

        [SkipLocalsInit]
        public readonly void Invoke(int index)
        {
            ref readonly GemmProblem<T> p = ref Problem;
            int mr = GemmBlocking.Mr;
            int i0 = index * TilesPerChunk * mr, mc = Math.Min(p.M - i0, TilesPerChunk * mr);
            T* bufA = Buffer(ref t_bufA, GemmBlocking.Mc<T>() * GemmBlocking.Kc<T>());
            T* tmp = stackalloc T[GemmBlocking.Mr * 64];
            T* srcA = p.TransA ? p.A + Pc * p.Lda + i0 : p.A + i0 * p.Lda + Pc;
            GemmPacking.PackA(p.TransA, srcA, p.Lda, mc, Kc, mr, bufA);
            MacroKernel(Isa, p.TransA, Kc, mc, Nc, GemmBlocking.Nr<T>(Isa), bufA, BufferB,
                p.C + i0 * p.Ldc + Jc, p.Ldc, p.Alpha, Beta, tmp);
        }
    }

    private static void RunColumnSplit(in GemmProblem<T> p, GemmIsa isa, int threads, int nPanels)
    {
        var body = new ColumnSliceBody { Problem = p, Isa = isa, Parts = threads, NPanels = nPanels };
        CpuParallel.For(threads, in body);
    }

    /// <summary>Runs the whole loop nest on one slice of C's columns (whole NR panels).</summary>
    private struct ColumnSliceBody : IParallelBody
    {
        public GemmProblem<T> Problem;
        public GemmIsa Isa;
        public int Parts, NPanels;

        public readonly void Invoke(int index)
        {
            int nr = GemmBlocking.Nr<T>(Isa);
            int j0 = (int)((long)NPanels * index / Parts) * nr;
            int j1 = Math.Min(Problem.N, (int)((long)NPanels * (index + 1) / Parts) * nr);
            if (j0 < j1)
                RunBlock(in Problem, Isa, 0, Problem.M, j0, j1);
        }
    }
}

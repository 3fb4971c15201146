using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace Dendrite.Gpu.Kernels.Gemm;

/// <summary>
/// Batched GEMM kernels, C_b = alpha·op(A_b)·op(B_b) + beta·C_b (see <see cref="GemmArgs{T}"/>):
/// <see cref="Tiled{T, TTile}"/>, register-tiled through shared memory (the fast path on CUDA);
/// <see cref="Simple{T}"/>, a 4×4 register tile per thread read straight from global memory (no barriers:
/// small problems, and <c>ilgpu-cpu</c>); <see cref="Scale{T}"/>, C = beta·C for k = 0 or alpha = 0.
/// When beta is 0, C is not read (NaN in C does not leak into the result), as in BLAS.
/// </summary>
internal static class GemmKernels
{
    /// <summary>The k depth of one shared-memory tile.</summary>
    public const int Bk = 8;

    /// <summary>Rows and columns of the per-thread tile of <see cref="Simple{T}"/>.</summary>
    public const int SimpleTile = 4;

    /// <summary>
    /// Register-tiled GEMM. A group of TX×TY threads computes a BM×BN tile of C (BM = 8·TY, BN = 8·TX) in k steps of
    /// 8: the A tile (BM×8, stored k-major: As[k][m]) and the B tile (8×BN: Bs[k][n]) go through shared memory, and
    /// each thread keeps an 8×8 tile of C in registers, updated by 8 rank-1 updates per k step (64 multiply-adds
    /// per 16 shared loads).
    /// </summary>
    /// <remarks>
    /// <para>Thread layout: a warp is 8 threads along n by 4 along m, so when it reads a row of As or Bs the 8 (or
    /// 4) distinct 16-byte vectors cover distinct banks (no conflicts); each thread reads its 4 consecutive rows or
    /// columns as one vector load (ld.shared.v4.f32: 4 loads per 64 multiply-adds). A thread owns rows {4·ty..4·ty+3} and
    /// {BM/2 + 4·ty..+3}, columns {4·tx..4·tx+3} and {BN/2 + 4·tx..+3}.</para>
    /// <para>Loads: thread t fetches A rows t % BM (consecutive threads, consecutive rows or, transposed,
    /// consecutive addresses) at k positions (t / BM)·LA .. +LA−1, LA = 64/TX; B likewise along n. The next k tile
    /// is fetched into registers before the current one is used, and stored to the other shared buffer after: one
    /// barrier per k step. Out-of-range rows, columns and k positions load as zero from a clamped (valid) address,
    /// so the GPU never reads outside the matrices.</para>
    /// </remarks>
    [GpuKernel(RegistersOnly = true)]
    [KernelInstance(typeof(float), typeof(Tile128)), KernelInstance(typeof(float), typeof(Tile64))]
    [KernelInstance(typeof(double), typeof(Tile128)), KernelInstance(typeof(double), typeof(Tile64))]
    public static void Tiled<T, TTile>(ArrayView<T> a, ArrayView<T> b, ArrayView<T> c, GemmArgs<T> p)
        where T : unmanaged, INumber<T> where TTile : struct, IGemmTile
    {
        int tx = default(TTile).ThreadsX, ty = default(TTile).ThreadsY;
        int bm = 8 * ty, bn = 8 * tx;
        int la = 64 / tx, lb = 64 / ty;
        // As[2][8][BM] and Bs[2][8][BN], declared as 4-vectors aligned to their size so the compute loop's reads
        // of 4 consecutive rows (columns) are single vector loads; written element by element through scalar views.
        var sa = SharedMemory.Allocate<Vector4<T>>(2 * Bk * 2 * default(TTile).ThreadsY).AsAligned(4 * Interop.SizeOf<T>());
        var sb = SharedMemory.Allocate<Vector4<T>>(2 * Bk * 2 * default(TTile).ThreadsX).AsAligned(4 * Interop.SizeOf<T>());

        // The tile of C: group g -> (batch, tile row, tile column), tile columns fastest.
        int tilesPerBatch = p.TilesM * p.TilesN;
        int batch = Grid.IdxX / tilesPerBatch;
        int rest = Grid.IdxX - batch * tilesPerBatch;
        int tileM = rest / p.TilesN;
        int i0 = tileM * bm, j0 = (rest - tileM * p.TilesN) * bn;

        int t = Group.IdxX;
        int warp = t / 32, lane = t % 32, warpsX = tx / 8;
        int col = (warp % warpsX) * 8 + lane % 8;       // 0 .. TX-1
        int row = (warp / warpsX) * 4 + lane / 8;       // 0 .. TY-1

        // Load roles: A element (i0 + ai, k0 + ap + r) and B element (k0 + bp + r, j0 + bj), r < LA (LB).
        int ai = t % bm, ap = t / bm * la;
        int bj = t % bn, bp = t / bn * lb;
        long aMatrix = p.OffsetA + batch * p.StrideA, bMatrix = p.OffsetB + batch * p.StrideB;
        long aStep = p.TransA == 0 ? 1 : p.Lda;         // address step between consecutive k
        long bStep = p.TransB == 0 ? p.Ldb : 1;
        long aBase = p.TransA == 0 ? aMatrix + (i0 + ai) * p.Lda + ap : aMatrix + ap * p.Lda + i0 + ai;
        long bBase = p.TransB == 0 ? bMatrix + bp * p.Ldb + j0 + bj : bMatrix + (j0 + bj) * p.Ldb + bp;
        bool aRowOk = i0 + ai < p.M, bColOk = j0 + bj < p.N;

        var acc = default(Accumulator8x8<T>);
        var ra = default(Fragment8<T>);
        var rb = default(Fragment8<T>);
        int tiles = (p.K + Bk - 1) / Bk;

        // Shared-memory addressing: every per-thread or per-buffer offset becomes a sub-view once, so the 128
        // shared loads of a k tile index with constants (ptxas folds them into [base + immediate] addressing
        // instead of a 32-bit add, a widening multiply and a 64-bit add per load).
        var aStore = sa.Cast<T>().SubView(ap * bm + ai);
        var bStore = sb.Cast<T>().SubView(bp * bn + bj);
        var aRead = sa.SubView(row);              // in 4-vectors: element 4·row
        var bRead = sb.SubView(col);
        int halfM = bm / 8, halfN = bn / 8;       // BM/2 elements = BM/8 vectors
        int aBuffer = Bk * bm, bBuffer = Bk * bn; // in elements

        ra.Load(a, aBase, aStep, la, aRowOk, ap, p.K, aMatrix);
        rb.Load(b, bBase, bStep, lb, bColOk, bp, p.K, bMatrix);
        ra.Store(aStore, bm, la);
        rb.Store(bStore, bn, lb);
        Group.Barrier();

        for (int kt = 0; kt < tiles; kt++)
        {
            int current = kt & 1;
            bool more = kt + 1 < tiles;
            if (more)
            {
                // k positions below K - (kt+1)*8 are in range: the tile is full unless it is the last.
                int kLeft = p.K - (kt + 1) * Bk;
                ra.Load(a, aBase + (kt + 1) * Bk * aStep, aStep, la, aRowOk, ap, kLeft, aMatrix);
                rb.Load(b, bBase + (kt + 1) * Bk * bStep, bStep, lb, bColOk, bp, kLeft, bMatrix);
            }

            var va = aRead.SubView(current * aBuffer / 4);
            var vb = bRead.SubView(current * bBuffer / 4);
            int rowA = bm / 4, rowB = bn / 4;     // one k row of As / Bs, in vectors
            Step(ref acc, va, vb, 0, 0, halfM, halfN);
            Step(ref acc, va, vb, rowA, rowB, halfM, halfN);
            Step(ref acc, va, vb, 2 * rowA, 2 * rowB, halfM, halfN);
            Step(ref acc, va, vb, 3 * rowA, 3 * rowB, halfM, halfN);
            Step(ref acc, va, vb, 4 * rowA, 4 * rowB, halfM, halfN);
            Step(ref acc, va, vb, 5 * rowA, 5 * rowB, halfM, halfN);
            Step(ref acc, va, vb, 6 * rowA, 6 * rowB, halfM, halfN);
            Step(ref acc, va, vb, 7 * rowA, 7 * rowB, halfM, halfN);

            if (more)
            {
                int next = 1 - current;
                ra.Store(aStore.SubView(next * aBuffer), bm, la);
                rb.Store(bStore.SubView(next * bBuffer), bn, lb);
            }
            Group.Barrier();
        }

        // Epilogue, unrolled: register row r is C row i0 + 4·row + r (r < 4) or i0 + BM/2 + 4·row + (r − 4).
        long cMatrix = p.OffsetC + batch * p.StrideC;
        int jLow = j0 + col * 4, jHigh = j0 + bn / 2 + col * 4;
        int iLow = i0 + row * 4, iHigh = i0 + bm / 2 + row * 4;
        StoreRow(c, p, cMatrix, iLow, jLow, jHigh, acc.C00, acc.C01, acc.C02, acc.C03, acc.C04, acc.C05, acc.C06, acc.C07);
        StoreRow(c, p, cMatrix, iLow + 1, jLow, jHigh, acc.C10, acc.C11, acc.C12, acc.C13, acc.C14, acc.C15, acc.C16, acc.C17);
        StoreRow(c, p, cMatrix, iLow + 2, jLow, jHigh, acc.C20, acc.C21, acc.C22, acc.C23, acc.C24, acc.C25, acc.C26, acc.C27);
        StoreRow(c, p, cMatrix, iLow + 3, jLow, jHigh, acc.C30, acc.C31, acc.C32, acc.C33, acc.C34, acc.C35, acc.C36, acc.C37);
        StoreRow(c, p, cMatrix, iHigh, jLow, jHigh, acc.C40, acc.C41, acc.C42, acc.C43, acc.C44, acc.C45, acc.C46, acc.C47);
        StoreRow(c, p, cMatrix, iHigh + 1, jLow, jHigh, acc.C50, acc.C51, acc.C52, acc.C53, acc.C54, acc.C55, acc.C56, acc.C57);
        StoreRow(c, p, cMatrix, iHigh + 2, jLow, jHigh, acc.C60, acc.C61, acc.C62, acc.C63, acc.C64, acc.C65, acc.C66, acc.C67);
        StoreRow(c, p, cMatrix, iHigh + 3, jLow, jHigh, acc.C70, acc.C71, acc.C72, acc.C73, acc.C74, acc.C75, acc.C76, acc.C77);
    }

    // Row i of the register tile: 4 columns from jLow and 4 from jHigh, skipped when i is past the matrix.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T>(ArrayView<T> c, GemmArgs<T> p, long cMatrix, int i, int jLow, int jHigh,
        T v0, T v1, T v2, T v3, T v4, T v5, T v6, T v7) where T : unmanaged, INumber<T>
    {
        if (i >= p.M)
            return;
        long rowStart = cMatrix + (long)i * p.Ldc;
        StoreFour(c, rowStart, jLow, p.N, v0, v1, v2, v3, p.Alpha, p.Beta);
        StoreFour(c, rowStart, jHigh, p.N, v4, v5, v6, v7, p.Alpha, p.Beta);
    }

    // One k step of the register tile: 8 values of A (two 4-vectors, BM/2 rows apart) and 8 of B (two 4-vectors,
    // BN/2 columns apart) from shared memory; ia, ib, halfM and halfN count vectors and are constants after inlining.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<T>(ref Accumulator8x8<T> acc, ArrayView<Vector4<T>> sa, ArrayView<Vector4<T>> sb, int ia, int ib, int halfM, int halfN)
        where T : unmanaged, INumber<T>
    {
        Vector4<T> a = sa[ia], a2 = sa[ia + halfM], b = sb[ib], b2 = sb[ib + halfN];
        acc.Update(a.X, a.Y, a.Z, a.W, a2.X, a2.Y, a2.Z, a2.W, b.X, b.Y, b.Z, b.W, b2.X, b2.Y, b2.Z, b2.W);
    }

    // C[rowStart + j .. j+3] = alpha·v + beta·C for the columns below n (C unread when beta is 0).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFour<T>(ArrayView<T> c, long rowStart, int j, int n, T v0, T v1, T v2, T v3, T alpha, T beta)
        where T : unmanaged, INumber<T>
    {
        if (j < n)
            StoreOne(c, rowStart + j, v0, alpha, beta);
        if (j + 1 < n)
            StoreOne(c, rowStart + j + 1, v1, alpha, beta);
        if (j + 2 < n)
            StoreOne(c, rowStart + j + 2, v2, alpha, beta);
        if (j + 3 < n)
            StoreOne(c, rowStart + j + 3, v3, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreOne<T>(ArrayView<T> c, long index, T value, T alpha, T beta) where T : unmanaged, INumber<T> =>
        c[index] = beta == T.Zero ? alpha * value : alpha * value + beta * c[index];

    /// <summary>
    /// GEMM without shared memory or barriers: each thread computes a 4×4 tile of C straight from global memory
    /// (16 multiply-adds per 8 loads), grid-stride over the batch × ⌈m/4⌉ × ⌈n/4⌉ tiles (p.TilesM/N count 4-wide
    /// tiles here). Rows and columns past the matrix read a clamped (valid) element and are not stored.
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void Simple<T>(ArrayView<T> a, ArrayView<T> b, ArrayView<T> c, GemmArgs<T> p) where T : unmanaged, INumber<T>
    {
        long tilesPerBatch = (long)p.TilesM * p.TilesN;
        long total = tilesPerBatch * p.Batch;
        long stride = (long)Grid.DimX * Group.DimX;
        long aStep = p.TransA == 0 ? 1 : p.Lda, bStep = p.TransB == 0 ? p.Ldb : 1;
        for (long w = Grid.GlobalIndex.X; w < total; w += stride)
        {
            long batch = w / tilesPerBatch, rest = w - batch * tilesPerBatch;
            int i = (int)(rest / p.TilesN) * SimpleTile, j = (int)(rest % p.TilesN) * SimpleTile;
            long aMatrix = p.OffsetA + batch * p.StrideA, bMatrix = p.OffsetB + batch * p.StrideB;
            // Start of each of the 4 rows of op(A) and columns of op(B), clamped into the matrix.
            long aRow = p.TransA == 0 ? p.Lda : 1, bCol = p.TransB == 0 ? 1 : p.Ldb;
            long a0 = aMatrix + Math.Min(i, p.M - 1) * aRow, a1 = aMatrix + Math.Min(i + 1, p.M - 1) * aRow;
            long a2 = aMatrix + Math.Min(i + 2, p.M - 1) * aRow, a3 = aMatrix + Math.Min(i + 3, p.M - 1) * aRow;
            long b0 = bMatrix + Math.Min(j, p.N - 1) * bCol, b1 = bMatrix + Math.Min(j + 1, p.N - 1) * bCol;
            long b2 = bMatrix + Math.Min(j + 2, p.N - 1) * bCol, b3 = bMatrix + Math.Min(j + 3, p.N - 1) * bCol;
            T c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero, c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
            T c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero, c30 = T.Zero, c31 = T.Zero, c32 = T.Zero, c33 = T.Zero;
            for (int k = 0; k < p.K; k++)
            {
                long ka = k * aStep, kb = k * bStep;
                T x0 = a[a0 + ka], x1 = a[a1 + ka], x2 = a[a2 + ka], x3 = a[a3 + ka];
                T y0 = b[b0 + kb], y1 = b[b1 + kb], y2 = b[b2 + kb], y3 = b[b3 + kb];
                c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
                c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
                c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
                c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
            }
            long cRow = p.OffsetC + batch * p.StrideC + (long)i * p.Ldc;
            StoreFour(c, cRow, j, p.N, c00, c01, c02, c03, p.Alpha, p.Beta);
            if (i + 1 < p.M)
                StoreFour(c, cRow + p.Ldc, j, p.N, c10, c11, c12, c13, p.Alpha, p.Beta);
            if (i + 2 < p.M)
                StoreFour(c, cRow + 2 * p.Ldc, j, p.N, c20, c21, c22, c23, p.Alpha, p.Beta);
            if (i + 3 < p.M)
                StoreFour(c, cRow + 3 * p.Ldc, j, p.N, c30, c31, c32, c33, p.Alpha, p.Beta);
        }
    }

    /// <summary>C = beta·C over every batch (zeros when beta is 0, without reading C): GEMM with k = 0 or alpha = 0.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void Scale<T>(ArrayView<T> c, GemmArgs<T> p) where T : unmanaged, INumber<T>
    {
        long perBatch = (long)p.M * p.N, total = perBatch * p.Batch;
        long stride = (long)Grid.DimX * Group.DimX;
        for (long w = Grid.GlobalIndex.X; w < total; w += stride)
        {
            long batch = w / perBatch, rest = w - batch * perBatch;
            long i = rest / p.N, j = rest - i * p.N;
            long index = p.OffsetC + batch * p.StrideC + i * p.Ldc + j;
            c[index] = p.Beta == T.Zero ? T.Zero : p.Beta * c[index];
        }
    }
}

using ILGPU;

namespace Dendrite.Gpu.Kernels.Reductions;

/// <summary>
/// Value reductions (sum, max, min) over the last dimension of a [rows, cols] block, over the middle dimension of
/// an [outer, dim, inner] block, and of a whole buffer (two passes through per-group partials). No atomics: every
/// result comes from a fixed combine tree, so a device gives the same bits on every run.
/// </summary>
internal static class ReductionKernels
{
    /// <summary>Inner positions per group tile of <see cref="Middle{T, TOp}"/> (coalesced reads along inner).</summary>
    public const int MiddleTile = 32;

    /// <summary>The largest group the reduction kernels accept (their shared arrays are sized for it).</summary>
    public const int MaxGroupSize = 256;

    /// <summary>
    /// y[r] = ⊕_c x[r·rowStride + c·colStride], one thread per row in column order: no shuffles or barriers.
    /// For short rows (a few dozen columns), and for devices where collectives are slow (<c>ilgpu-cpu</c>).
    /// </summary>
    [GpuKernel]
    public static void RowsThread<T, TOp>(ArrayView<T> x, long rows, long cols, long rowStride, long colStride, ArrayView<T> y, TOp op)
        where T : unmanaged where TOp : struct, IReduceOp<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long r = Grid.GlobalIndex.X; r < rows; r += stride)
        {
            T acc = op.Identity;
            long rowBase = r * rowStride;
            for (long c = 0; c < cols; c++)
                acc = op.Combine(acc, x[rowBase + c * colStride]);
            y[r] = acc;
        }
    }

    /// <summary>
    /// y[r] = ⊕_c x[r·rowStride + c·colStride], one warp per row (rows up to a few thousand columns): lane l reads
    /// columns l, l + 32, ..., then a shuffle tree. Warps stride over rows.
    /// </summary>
    [GpuKernel]
    public static void RowsWarp<T, TOp>(ArrayView<T> x, long rows, long cols, long rowStride, long colStride, ArrayView<T> y, TOp op)
        where T : unmanaged where TOp : struct, IReduceOp<T>
    {
        int warpsPerGroup = Group.DimX / Warp.WarpSize;
        long totalWarps = (long)Grid.DimX * warpsPerGroup;
        for (long r = (long)Grid.IdxX * warpsPerGroup + Warp.WarpIdx; r < rows; r += totalWarps)
        {
            T acc = op.Identity;
            long rowBase = r * rowStride;
            for (long c = Warp.LaneIdx; c < cols; c += Warp.WarpSize)
                acc = op.Combine(acc, x[rowBase + c * colStride]);
            acc = BlockReduce.Warp(acc, op);
            if (Warp.LaneIdx == 0)
                y[r] = acc;
        }
    }

    /// <summary>y[r] = ⊕_c x[r·rowStride + c·colStride], one group per row (long rows); groups stride over rows.</summary>
    [GpuKernel]
    public static void RowsGroup<T, TOp>(ArrayView<T> x, long rows, long cols, long rowStride, long colStride, ArrayView<T> y, TOp op)
        where T : unmanaged where TOp : struct, IReduceOp<T>
    {
        var scratch = SharedMemory.Allocate<T>(BlockReduce.MaxWarps);
        for (long r = Grid.IdxX; r < rows; r += Grid.DimX)
        {
            T acc = op.Identity;
            long rowBase = r * rowStride;
            for (long c = Group.IdxX; c < cols; c += Group.DimX)
                acc = op.Combine(acc, x[rowBase + c * colStride]);
            acc = BlockReduce.Group(acc, scratch, op);
            if (Group.IdxX == 0)
                y[r] = acc;
        }
    }

    /// <summary>
    /// y[o·inner + i] = ⊕_d x[o·outerStride + d·dimStride + i·innerStride]. A group covers a tile of 32 inner
    /// positions (thread t: lane t % 32 along inner, slice t / 32 along dim, so a warp reads 32 neighbours); slices
    /// combine through shared memory in slice order. Groups stride over the outer × tile grid.
    /// </summary>
    [GpuKernel]
    public static void Middle<T, TOp>(ArrayView<T> x, long outer, long dim, long inner, long outerStride, long dimStride,
        long innerStride, ArrayView<T> y, TOp op)
        where T : unmanaged where TOp : struct, IReduceOp<T>
    {
        var scratch = SharedMemory.Allocate<T>(MaxGroupSize);
        int lane = Group.IdxX % MiddleTile, slice = Group.IdxX / MiddleTile, slices = Group.DimX / MiddleTile;
        long tilesPerOuter = (inner + MiddleTile - 1) / MiddleTile;
        for (long t = Grid.IdxX; t < outer * tilesPerOuter; t += Grid.DimX)
        {
            long o = t / tilesPerOuter;
            long i = (t - o * tilesPerOuter) * MiddleTile + lane;
            T acc = op.Identity;
            if (i < inner)
            {
                long start = o * outerStride + i * innerStride;
                for (long d = slice; d < dim; d += slices)
                    acc = op.Combine(acc, x[start + d * dimStride]);
            }
            scratch[Group.IdxX] = acc;
            Group.Barrier();
            if (slice == 0 && i < inner)
            {
                T total = scratch[lane];
                for (int s = 1; s < slices; s++)
                    total = op.Combine(total, scratch[s * MiddleTile + lane]);
                y[o * inner + i] = total;
            }
            Group.Barrier();
        }
    }

    /// <summary>
    /// y[o·inner + i] = ⊕_d x[o·outerStride + d·dimStride + i·innerStride], one thread per output in dim order
    /// (neighbouring threads read neighbouring inner positions: coalesced). For many outputs, and for devices where
    /// collectives are slow.
    /// </summary>
    [GpuKernel]
    public static void MiddleThread<T, TOp>(ArrayView<T> x, long outer, long dim, long inner, long outerStride, long dimStride,
        long innerStride, ArrayView<T> y, TOp op)
        where T : unmanaged where TOp : struct, IReduceOp<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long k = Grid.GlobalIndex.X; k < outer * inner; k += stride)
        {
            long o = k / inner, i = k - o * inner;
            long start = o * outerStride + i * innerStride;
            T acc = op.Identity;
            for (long d = 0; d < dim; d++)
                acc = op.Combine(acc, x[start + d * dimStride]);
            y[k] = acc;
        }
    }

    /// <summary>
    /// First pass of a whole-buffer reduction: partials[g] = ⊕ of x[i] over the grid-stride positions of group g.
    /// The second pass reduces the partials with <see cref="RowsGroup{T, TOp}"/> as one row.
    /// </summary>
    [GpuKernel]
    public static void Partials<T, TOp>(ArrayView<T> x, long n, ArrayView<T> partials, TOp op)
        where T : unmanaged where TOp : struct, IReduceOp<T>
    {
        var scratch = SharedMemory.Allocate<T>(BlockReduce.MaxWarps);
        long stride = (long)Grid.DimX * Group.DimX;
        T acc = op.Identity;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
            acc = op.Combine(acc, x[i]);
        acc = BlockReduce.Group(acc, scratch, op);
        if (Group.IdxX == 0)
            partials[Grid.IdxX] = acc;
    }
}

using ILGPU;

namespace Dendrite.Gpu.Kernels.Reductions;

/// <summary>
/// Arg reductions (max/min value and the index of its first occurrence) in the same three layouts as
/// <see cref="ReductionKernels"/>. Indices are positions along the reduced dimension (0-based, long).
/// </summary>
internal static class ArgReductionKernels
{
    /// <summary>(values[r], indices[r]) = best of row r and its first column; one thread per row, no collectives.</summary>
    [GpuKernel]
    public static void RowsThread<T, TOp>(ArrayView<T> x, long rows, long cols, long rowStride, long colStride,
        ArrayView<T> values, ArrayView<long> indices, TOp op)
        where T : unmanaged where TOp : struct, IArgReduceOp<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long r = Grid.GlobalIndex.X; r < rows; r += stride)
        {
            long rowBase = r * rowStride;
            T best = x[rowBase];
            long at = 0;
            for (long c = 1; c < cols; c++)
            {
                T v = x[rowBase + c * colStride];
                if (op.Better(v, best))
                {
                    best = v;
                    at = c;
                }
            }
            values[r] = best;
            indices[r] = at;
        }
    }

    /// <summary>(values[r], indices[r]) = best of row r and its first column; one warp per row.</summary>
    [GpuKernel]
    public static void RowsWarp<T, TOp>(ArrayView<T> x, long rows, long cols, long rowStride, long colStride,
        ArrayView<T> values, ArrayView<long> indices, TOp op)
        where T : unmanaged where TOp : struct, IArgReduceOp<T>
    {
        int warpsPerGroup = Group.DimX / Warp.WarpSize;
        long totalWarps = (long)Grid.DimX * warpsPerGroup;
        for (long r = (long)Grid.IdxX * warpsPerGroup + Warp.WarpIdx; r < rows; r += totalWarps)
        {
            T best = op.Identity;
            long at = long.MaxValue;
            long rowBase = r * rowStride;
            for (long c = Warp.LaneIdx; c < cols; c += Warp.WarpSize)
            {
                // A lane sees its columns in increasing order, so a tie keeps the earlier one.
                T v = x[rowBase + c * colStride];
                if (op.Better(v, best) || at == long.MaxValue && !op.Better(best, v))
                {
                    best = v;
                    at = c;
                }
            }
            BlockReduce.ArgWarp(ref best, ref at, op);
            if (Warp.LaneIdx == 0)
            {
                values[r] = best;
                indices[r] = at;
            }
        }
    }

    /// <summary>(values[r], indices[r]) = best of row r and its first column; one group per row.</summary>
    [GpuKernel]
    public static void RowsGroup<T, TOp>(ArrayView<T> x, long rows, long cols, long rowStride, long colStride,
        ArrayView<T> values, ArrayView<long> indices, TOp op)
        where T : unmanaged where TOp : struct, IArgReduceOp<T>
    {
        var valueScratch = SharedMemory.Allocate<T>(BlockReduce.MaxWarps);
        var indexScratch = SharedMemory.Allocate<long>(BlockReduce.MaxWarps);
        for (long r = Grid.IdxX; r < rows; r += Grid.DimX)
        {
            T best = op.Identity;
            long at = long.MaxValue;
            long rowBase = r * rowStride;
            for (long c = Group.IdxX; c < cols; c += Group.DimX)
            {
                T v = x[rowBase + c * colStride];
                if (op.Better(v, best) || at == long.MaxValue && !op.Better(best, v))
                {
                    best = v;
                    at = c;
                }
            }
            BlockReduce.ArgGroup(ref best, ref at, valueScratch, indexScratch, op);
            if (Group.IdxX == 0)
            {
                values[r] = best;
                indices[r] = at;
            }
        }
    }

    /// <summary>
    /// Best over the middle dimension of [outer, dim, inner] and its first index along dim, written at o·inner + i.
    /// Same tiling as <see cref="ReductionKernels.Middle{T, TOp}"/>; slices combine in order, earlier index on ties.
    /// </summary>
    [GpuKernel]
    public static void Middle<T, TOp>(ArrayView<T> x, long outer, long dim, long inner, long outerStride, long dimStride,
        long innerStride, ArrayView<T> values, ArrayView<long> indices, TOp op)
        where T : unmanaged where TOp : struct, IArgReduceOp<T>
    {
        const int tile = ReductionKernels.MiddleTile;
        var valueScratch = SharedMemory.Allocate<T>(ReductionKernels.MaxGroupSize);
        var indexScratch = SharedMemory.Allocate<long>(ReductionKernels.MaxGroupSize);
        int lane = Group.IdxX % tile, slice = Group.IdxX / tile, slices = Group.DimX / tile;
        long tilesPerOuter = (inner + tile - 1) / tile;
        for (long t = Grid.IdxX; t < outer * tilesPerOuter; t += Grid.DimX)
        {
            long o = t / tilesPerOuter;
            long i = (t - o * tilesPerOuter) * tile + lane;
            T best = op.Identity;
            long at = long.MaxValue;
            if (i < inner)
            {
                long start = o * outerStride + i * innerStride;
                for (long d = slice; d < dim; d += slices)
                {
                    T v = x[start + d * dimStride];
                    if (op.Better(v, best) || at == long.MaxValue && !op.Better(best, v))
                    {
                        best = v;
                        at = d;
                    }
                }
            }
            valueScratch[Group.IdxX] = best;
            indexScratch[Group.IdxX] = at;
            Group.Barrier();
            if (slice == 0 && i < inner)
            {
                for (int s = 1; s < slices; s++)
                {
                    T v = valueScratch[s * tile + lane];
                    long j = indexScratch[s * tile + lane];
                    if (BlockReduce.Takes(best, at, v, j, op))
                    {
                        best = v;
                        at = j;
                    }
                }
                values[o * inner + i] = best;
                indices[o * inner + i] = at;
            }
            Group.Barrier();
        }
    }

    /// <summary>Best over the middle dimension and its first index, one thread per output, no collectives.</summary>
    [GpuKernel]
    public static void MiddleThread<T, TOp>(ArrayView<T> x, long outer, long dim, long inner, long outerStride, long dimStride,
        long innerStride, ArrayView<T> values, ArrayView<long> indices, TOp op)
        where T : unmanaged where TOp : struct, IArgReduceOp<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long k = Grid.GlobalIndex.X; k < outer * inner; k += stride)
        {
            long o = k / inner, i = k - o * inner;
            long start = o * outerStride + i * innerStride;
            T best = x[start];
            long at = 0;
            for (long d = 1; d < dim; d++)
            {
                T v = x[start + d * dimStride];
                if (op.Better(v, best))
                {
                    best = v;
                    at = d;
                }
            }
            values[k] = best;
            indices[k] = at;
        }
    }

    /// <summary>First pass of a whole-buffer arg reduction: best value and its index per group.</summary>
    [GpuKernel]
    public static void Partials<T, TOp>(ArrayView<T> x, long n, ArrayView<T> partialValues, ArrayView<long> partialIndices, TOp op)
        where T : unmanaged where TOp : struct, IArgReduceOp<T>
    {
        var valueScratch = SharedMemory.Allocate<T>(BlockReduce.MaxWarps);
        var indexScratch = SharedMemory.Allocate<long>(BlockReduce.MaxWarps);
        long stride = (long)Grid.DimX * Group.DimX;
        T best = op.Identity;
        long at = long.MaxValue;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            T v = x[i];
            if (op.Better(v, best) || at == long.MaxValue && !op.Better(best, v))
            {
                best = v;
                at = i;
            }
        }
        BlockReduce.ArgGroup(ref best, ref at, valueScratch, indexScratch, op);
        if (Group.IdxX == 0)
        {
            partialValues[Grid.IdxX] = best;
            partialIndices[Grid.IdxX] = at;
        }
    }

    /// <summary>Second pass: one group combines the (value, index) partials into value[0], index[0].</summary>
    [GpuKernel]
    public static void CombinePartials<T, TOp>(ArrayView<T> partialValues, ArrayView<long> partialIndices, long count,
        ArrayView<T> value, ArrayView<long> index, TOp op)
        where T : unmanaged where TOp : struct, IArgReduceOp<T>
    {
        var valueScratch = SharedMemory.Allocate<T>(BlockReduce.MaxWarps);
        var indexScratch = SharedMemory.Allocate<long>(BlockReduce.MaxWarps);
        T best = op.Identity;
        long at = long.MaxValue;
        for (long p = Group.IdxX; p < count; p += Group.DimX)
        {
            if (BlockReduce.Takes(best, at, partialValues[p], partialIndices[p], op))
            {
                best = partialValues[p];
                at = partialIndices[p];
            }
        }
        BlockReduce.ArgGroup(ref best, ref at, valueScratch, indexScratch, op);
        if (Group.IdxX == 0)
        {
            value[0] = best;
            index[0] = at;
        }
    }
}

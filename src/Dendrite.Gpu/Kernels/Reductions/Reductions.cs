using Dendrite.Gpu.Runtime;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Reductions;

/// <summary>
/// Host entry points of the reductions: validate shapes and the reach of the strides, pick the kernel and the
/// launch shape, queue the launch(es). Results are deterministic for a given device and path (fixed combine
/// orders, no atomics).
/// </summary>
/// <remarks>
/// Automatic choice. CUDA: rows of ≤ 32 columns one thread each, ≤ 1024 one warp each, longer one group each;
/// the middle dimension one thread per output when there are ≥ 4096 outputs (coalesced along inner, enough
/// parallelism), else 32-wide tiles; a whole buffer through per-group partials. <c>ilgpu-cpu</c> simulates every
/// thread of a group as an OS thread, so each barrier or shuffle costs a round of context switches: there the
/// automatic choice is always the per-thread kernel (the collective kernels are tested by forcing them).
/// </remarks>
internal static class Reductions
{
    private const long ThreadRowLimit = 32;
    private const long WarpRowLimit = 1024;
    private const long ThreadMiddleOutputs = 4096;

    /// <summary>y[r] = ⊕_c x[r·rowStride + c·colStride] for r &lt; rows (y needs ≥ rows elements). Empty rows give the identity.</summary>
    public static void Rows<T, TOp>(GpuDevice device, ArrayView<T> x, long rows, long cols, long rowStride, long colStride,
        ArrayView<T> y, TOp op, ReductionPath path = ReductionPath.Auto) where T : unmanaged where TOp : struct, IReduceOp<T>
    {
        string name = $"{device.Name}: reduce rows ({typeof(TOp).Name})";
        CheckReach(name, x.Length, [rows, cols], [rowStride, colStride]);
        CheckOutput(name, y.Length, rows);
        if (rows == 0)
            return;
        if (cols == 0)
        {
            device.Fill(y.SubView(0, rows), op.Identity);
            return;
        }
        int group = GroupSize(device);
        switch (RowPath(device, cols, path))
        {
            case ReductionPath.Thread:
                device.Kernel<ArrayView<T>, long, long, long, long, ArrayView<T>, TOp>(ReductionKernels.RowsThread)(
                    device.Stream, device.GridStride(rows), x, rows, cols, rowStride, colStride, y, op);
                break;
            case ReductionPath.Warp:
                int warps = group / device.WarpSize;
                device.Kernel<ArrayView<T>, long, long, long, long, ArrayView<T>, TOp>(ReductionKernels.RowsWarp)(
                    device.Stream, device.Grouped(Groups(device, (rows + warps - 1) / warps), group), x, rows, cols, rowStride, colStride, y, op);
                break;
            default:
                device.Kernel<ArrayView<T>, long, long, long, long, ArrayView<T>, TOp>(ReductionKernels.RowsGroup)(
                    device.Stream, device.Grouped(Groups(device, rows), group), x, rows, cols, rowStride, colStride, y, op);
                break;
        }
    }

    /// <summary>
    /// y[o·inner + i] = ⊕_d x[o·outerStride + d·dimStride + i·innerStride] (y needs ≥ outer·inner elements).
    /// With inner = 1 this is <see cref="Rows{T, TOp}"/>, which it calls.
    /// </summary>
    public static void Middle<T, TOp>(GpuDevice device, ArrayView<T> x, long outer, long dim, long inner,
        long outerStride, long dimStride, long innerStride, ArrayView<T> y, TOp op, ReductionPath path = ReductionPath.Auto)
        where T : unmanaged where TOp : struct, IReduceOp<T>
    {
        if (inner == 1)
        {
            Rows(device, x, outer, dim, outerStride, dimStride, y, op, path == ReductionPath.Group ? ReductionPath.Warp : path);
            return;
        }
        string name = $"{device.Name}: reduce middle dimension ({typeof(TOp).Name})";
        CheckReach(name, x.Length, [outer, dim, inner], [outerStride, dimStride, innerStride]);
        long count = checked(outer * inner);
        CheckOutput(name, y.Length, count);
        if (count == 0)
            return;
        if (dim == 0)
        {
            device.Fill(y.SubView(0, count), op.Identity);
            return;
        }
        if (MiddlePath(device, count, path) == ReductionPath.Thread)
        {
            device.Kernel<ArrayView<T>, long, long, long, long, long, long, ArrayView<T>, TOp>(ReductionKernels.MiddleThread)(
                device.Stream, device.GridStride(count), x, outer, dim, inner, outerStride, dimStride, innerStride, y, op);
            return;
        }
        int group = GroupSize(device);
        long tiles = outer * ((inner + ReductionKernels.MiddleTile - 1) / ReductionKernels.MiddleTile);
        device.Kernel<ArrayView<T>, long, long, long, long, long, long, ArrayView<T>, TOp>(ReductionKernels.Middle)(
            device.Stream, device.Grouped(Groups(device, tiles), group), x, outer, dim, inner, outerStride, dimStride, innerStride, y, op);
    }

    /// <summary>y[0] = ⊕ of all of dense <paramref name="x"/> (identity when empty).</summary>
    public static void All<T, TOp>(GpuDevice device, ArrayView<T> x, ArrayView<T> y, TOp op, ReductionPath path = ReductionPath.Auto)
        where T : unmanaged where TOp : struct, IReduceOp<T>
    {
        CheckOutput($"{device.Name}: reduce all ({typeof(TOp).Name})", y.Length, 1);
        long n = x.Length;
        if (n == 0)
        {
            device.Fill(y.SubView(0, 1), op.Identity);
            return;
        }
        if (AllPath(device, path) == ReductionPath.Thread)
        {
            Rows(device, x, 1, n, n, 1, y, op, ReductionPath.Thread);
            return;
        }
        int group = GroupSize(device);
        int partials = (int)Math.Clamp((n + group - 1) / group, 1, PartialGroups(device));
        using var scratch = device.Allocate<T>(partials);
        var p = scratch.View<T>();
        device.Kernel<ArrayView<T>, long, ArrayView<T>, TOp>(ReductionKernels.Partials)(
            device.Stream, device.Grouped(partials, group), x, n, p, op);
        device.Kernel<ArrayView<T>, long, long, long, long, ArrayView<T>, TOp>(ReductionKernels.RowsGroup)(
            device.Stream, device.Grouped(1, group), p, 1, partials, partials, 1, y, op);
        // The scratch block returns to the cache now; stream order keeps the second pass ahead of any reuse.
    }

    /// <summary>(values[r], indices[r]) = best of row r and the column of its first occurrence. Rows must not be empty.</summary>
    public static void ArgRows<T, TOp>(GpuDevice device, ArrayView<T> x, long rows, long cols, long rowStride, long colStride,
        ArrayView<T> values, ArrayView<long> indices, TOp op, ReductionPath path = ReductionPath.Auto)
        where T : unmanaged where TOp : struct, IArgReduceOp<T>
    {
        string name = $"{device.Name}: arg-reduce rows ({typeof(TOp).Name})";
        CheckReach(name, x.Length, [rows, cols], [rowStride, colStride]);
        CheckOutput(name, values.Length, rows);
        CheckOutput(name, indices.Length, rows);
        if (rows == 0)
            return;
        if (cols == 0)
            throw new ArgumentException($"{name}: cannot reduce rows of 0 columns (there is no first occurrence).");
        int group = GroupSize(device);
        switch (RowPath(device, cols, path))
        {
            case ReductionPath.Thread:
                device.Kernel<ArrayView<T>, long, long, long, long, ArrayView<T>, ArrayView<long>, TOp>(ArgReductionKernels.RowsThread)(
                    device.Stream, device.GridStride(rows), x, rows, cols, rowStride, colStride, values, indices, op);
                break;
            case ReductionPath.Warp:
                int warps = group / device.WarpSize;
                device.Kernel<ArrayView<T>, long, long, long, long, ArrayView<T>, ArrayView<long>, TOp>(ArgReductionKernels.RowsWarp)(
                    device.Stream, device.Grouped(Groups(device, (rows + warps - 1) / warps), group), x, rows, cols, rowStride, colStride,
                    values, indices, op);
                break;
            default:
                device.Kernel<ArrayView<T>, long, long, long, long, ArrayView<T>, ArrayView<long>, TOp>(ArgReductionKernels.RowsGroup)(
                    device.Stream, device.Grouped(Groups(device, rows), group), x, rows, cols, rowStride, colStride, values, indices, op);
                break;
        }
    }

    /// <summary>Best over the middle dimension of [outer, dim, inner] and its first index along dim, at o·inner + i.</summary>
    public static void ArgMiddle<T, TOp>(GpuDevice device, ArrayView<T> x, long outer, long dim, long inner,
        long outerStride, long dimStride, long innerStride, ArrayView<T> values, ArrayView<long> indices, TOp op,
        ReductionPath path = ReductionPath.Auto)
        where T : unmanaged where TOp : struct, IArgReduceOp<T>
    {
        if (inner == 1)
        {
            ArgRows(device, x, outer, dim, outerStride, dimStride, values, indices, op, path == ReductionPath.Group ? ReductionPath.Warp : path);
            return;
        }
        string name = $"{device.Name}: arg-reduce middle dimension ({typeof(TOp).Name})";
        CheckReach(name, x.Length, [outer, dim, inner], [outerStride, dimStride, innerStride]);
        long count = checked(outer * inner);
        CheckOutput(name, values.Length, count);
        CheckOutput(name, indices.Length, count);
        if (count == 0)
            return;
        if (dim == 0)
            throw new ArgumentException($"{name}: cannot reduce a dimension of size 0 (there is no first occurrence).");
        if (MiddlePath(device, count, path) == ReductionPath.Thread)
        {
            device.Kernel<ArrayView<T>, long, long, long, long, long, long, ArrayView<T>, ArrayView<long>, TOp>(ArgReductionKernels.MiddleThread)(
                device.Stream, device.GridStride(count), x, outer, dim, inner, outerStride, dimStride, innerStride, values, indices, op);
            return;
        }
        int group = GroupSize(device);
        long tiles = outer * ((inner + ReductionKernels.MiddleTile - 1) / ReductionKernels.MiddleTile);
        device.Kernel<ArrayView<T>, long, long, long, long, long, long, ArrayView<T>, ArrayView<long>, TOp>(ArgReductionKernels.Middle)(
            device.Stream, device.Grouped(Groups(device, tiles), group), x, outer, dim, inner, outerStride, dimStride, innerStride,
            values, indices, op);
    }

    /// <summary>(value[0], index[0]) = best of all of dense <paramref name="x"/> and its first position.</summary>
    public static void ArgAll<T, TOp>(GpuDevice device, ArrayView<T> x, ArrayView<T> value, ArrayView<long> index, TOp op,
        ReductionPath path = ReductionPath.Auto)
        where T : unmanaged where TOp : struct, IArgReduceOp<T>
    {
        string name = $"{device.Name}: arg-reduce all ({typeof(TOp).Name})";
        CheckOutput(name, value.Length, 1);
        CheckOutput(name, index.Length, 1);
        long n = x.Length;
        if (n == 0)
            throw new ArgumentException($"{name}: cannot reduce an empty buffer (there is no first occurrence).");
        if (AllPath(device, path) == ReductionPath.Thread)
        {
            ArgRows(device, x, 1, n, n, 1, value, index, op, ReductionPath.Thread);
            return;
        }
        int group = GroupSize(device);
        int partials = (int)Math.Clamp((n + group - 1) / group, 1, PartialGroups(device));
        using var scratchValues = device.Allocate<T>(partials);
        using var scratchIndices = device.Allocate<long>(partials);
        var pv = scratchValues.View<T>();
        var pi = scratchIndices.View<long>();
        device.Kernel<ArrayView<T>, long, ArrayView<T>, ArrayView<long>, TOp>(ArgReductionKernels.Partials)(
            device.Stream, device.Grouped(partials, group), x, n, pv, pi, op);
        device.Kernel<ArrayView<T>, ArrayView<long>, long, ArrayView<T>, ArrayView<long>, TOp>(ArgReductionKernels.CombinePartials)(
            device.Stream, device.Grouped(1, group), pv, pi, partials, value, index, op);
    }

    private static ReductionPath RowPath(GpuDevice device, long cols, ReductionPath path) => path switch
    {
        ReductionPath.Auto when device.IsCpu || cols <= ThreadRowLimit => ReductionPath.Thread,
        ReductionPath.Auto => cols <= WarpRowLimit ? ReductionPath.Warp : ReductionPath.Group,
        _ => path,
    };

    private static ReductionPath MiddlePath(GpuDevice device, long outputs, ReductionPath path) => path switch
    {
        ReductionPath.Auto => device.IsCpu || outputs >= ThreadMiddleOutputs ? ReductionPath.Thread : ReductionPath.Group,
        ReductionPath.Warp => ReductionPath.Group,
        _ => path,
    };

    private static ReductionPath AllPath(GpuDevice device, ReductionPath path) => path switch
    {
        ReductionPath.Auto => device.IsCpu ? ReductionPath.Thread : ReductionPath.Group,
        ReductionPath.Warp => ReductionPath.Group,
        _ => path,
    };

    private static int GroupSize(GpuDevice device) => Math.Min(device.ReductionGroupSize, ReductionKernels.MaxGroupSize);

    // Groups for a grid-stride loop over `work` items: enough to fill the device, never more than the work.
    private static long Groups(GpuDevice device, long work) =>
        Math.Clamp(work, 1, device.IsCpu ? 2 : device.Multiprocessors * 8L);

    // Groups of the first pass of a whole-buffer reduction (a few per multiprocessor; a few on the CPU, so the
    // second pass combines more than one partial there too).
    private static int PartialGroups(GpuDevice device) => device.IsCpu ? 4 : Math.Min(1024, device.Multiprocessors * 4);

    // Every element the layout reaches must lie in [0, length): (size − 1)·stride summed per sign.
    private static void CheckReach(string name, long length, ReadOnlySpan<long> sizes, ReadOnlySpan<long> strides)
    {
        long low = 0, high = 0, count = 1;
        for (int d = 0; d < sizes.Length; d++)
        {
            if (sizes[d] < 0)
                throw new ArgumentException($"{name}: size {sizes[d]} of dimension {d} is negative.");
            count = checked(count * sizes[d]);
            long reach = sizes[d] == 0 ? 0 : checked((sizes[d] - 1) * strides[d]);
            if (reach < 0)
                low += reach;
            else
                high += reach;
        }
        if (count > 0 && (low < 0 || high >= length))
            throw new ArgumentException(
                $"{name}: sizes [{string.Join(", ", sizes.ToArray())}] with strides [{string.Join(", ", strides.ToArray())}] " +
                $"reach elements [{low}, {high}] of a buffer of {length}.");
    }

    private static void CheckOutput(string name, long length, long needed)
    {
        if (length < needed)
            throw new ArgumentException($"{name}: the output has {length} elements, {needed} are needed.");
    }
}

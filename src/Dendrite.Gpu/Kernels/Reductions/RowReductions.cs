using System.Numerics;
using Dendrite.Gpu.Kernels.Elementwise;
using Dendrite.Gpu.Runtime;
using ILGPU;
using ILGPU.Runtime;

namespace Dendrite.Gpu.Kernels.Reductions;

/// <summary>
/// Host entry points of the fused reductions over the middle dimension of a dense [outer, r, inner] block: the
/// scaled sum, mean and variance, log-sum-exp, softmax and its backward, and the arg-max backward. One launch each.
/// </summary>
/// <remarks>
/// Team choice (<see cref="Plan"/>). <c>ilgpu-cpu</c>: always one thread per row (collectives cost OS context
/// switches there; tests force the others). CUDA, rows along the last dimension (inner = 1): a group per row from
/// 2048 elements, a thread per row for short rows when there are many of them, else a warp per row. Rows across
/// inner &gt; 1: a thread per row when there are enough rows to fill the device (neighbouring threads read
/// neighbouring elements), else a warp (long rows) or a thread.
/// </remarks>
internal static class RowReductions
{
    private const int GroupRowLength = 2048;
    private const int ManyRows = 65536;
    private const int ShortRow = 16;
    private const int FewColumnRows = 8192;
    private const int WarpColumnLength = 64;

    /// <summary>dst[o·inner + i] = scale·Σ_k src[(o·r + k)·inner + i].</summary>
    public static void Sum<T>(GpuDevice device, ArrayView<T> src, ArrayView<T> dst, int outer, int r, int inner, T scale,
        ReductionPath path = ReductionPath.Auto) where T : unmanaged, INumber<T>
    {
        if (!Prepare(device, "sum", src.Length, dst.Length, outer, r, inner, path, out var shape, out var config))
            return;
        device.Kernel<ArrayView<T>, ArrayView<T>, RowShape, T>(RowReductionKernels.Sum)(device.Stream, config, src, dst, shape, scale);
    }

    /// <summary>mean and variance (dividing by r − ddof) over the middle dimension.</summary>
    public static void Moments<T>(GpuDevice device, ArrayView<T> src, ArrayView<T> mean, ArrayView<T> variance, int outer, int r, int inner,
        int ddof, ReductionPath path = ReductionPath.Auto) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Prepare(device, "moments", src.Length, Math.Min(mean.Length, variance.Length), outer, r, inner, path, out var shape, out var config))
            return;
        T invN = T.One / T.CreateTruncating(r), invD = T.One / T.CreateTruncating(r - ddof);
        device.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, RowShape, T, T>(RowReductionKernels.Moments)(
            device.Stream, config, src, mean, variance, shape, invN, invD);
    }

    /// <summary>dst[o·inner + i] = log Σ_k exp(src[…]), max-shifted.</summary>
    public static void LogSumExp<T, TR>(GpuDevice device, ArrayView<T> src, ArrayView<T> dst, int outer, int r, int inner,
        ReductionPath path = ReductionPath.Auto) where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T>
    {
        if (!Prepare(device, "log-sum-exp", src.Length, dst.Length, outer, r, inner, path, out var shape, out var config))
            return;
        device.Kernel<ArrayView<T>, ArrayView<T>, RowShape>(RowReductionKernels.LogSumExp<T, TR>)(device.Stream, config, src, dst, shape);
    }

    /// <summary>Softmax (or log-softmax) of every row into dst (src's size).</summary>
    public static void Softmax<T, TR>(GpuDevice device, ArrayView<T> src, ArrayView<T> dst, int outer, int r, int inner, bool log,
        ReductionPath path = ReductionPath.Auto) where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T>
    {
        CheckSame(device, "softmax", src.Length, dst.Length);
        if (!Prepare(device, "softmax", src.Length, long.MaxValue, outer, r, inner, path, out var shape, out var config) || r == 0)
            return;
        device.Kernel<ArrayView<T>, ArrayView<T>, RowShape, int>(SoftmaxKernels.Forward<T, TR>)(
            device.Stream, config, src, dst, shape, log ? 1 : 0);
    }

    /// <summary>The softmax (or log-softmax) input gradient gx from the output y and its gradient g.</summary>
    public static void SoftmaxBackward<T, TR>(GpuDevice device, ArrayView<T> g, ArrayView<T> y, ArrayView<T> gx, int outer, int r, int inner,
        bool log, ReductionPath path = ReductionPath.Auto) where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T>
    {
        CheckSame(device, "softmax backward", y.Length, g.Length);
        CheckSame(device, "softmax backward", y.Length, gx.Length);
        if (!Prepare(device, "softmax backward", y.Length, long.MaxValue, outer, r, inner, path, out var shape, out var config) || r == 0)
            return;
        device.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, RowShape, int>(SoftmaxKernels.Backward<T, TR>)(
            device.Stream, config, g, y, gx, shape, log ? 1 : 0);
    }

    /// <summary>gx[o, k, i] = g[o, i] where indices[o, i] = k, else 0 (gx dense [outer, r, inner], fully written).</summary>
    public static void ScatterArg<T>(GpuDevice device, ArrayView<T> g, ArrayView<long> indices, ArrayView<T> gx, int outer, int r, int inner)
        where T : unmanaged
    {
        long n = (long)outer * r * inner;
        if (gx.Length < n || g.Length < (long)outer * inner || indices.Length < (long)outer * inner)
            throw new ArgumentException($"{device.Name}: arg-reduction backward: views of {g.Length}, {indices.Length} and {gx.Length} " +
                $"elements do not fit [{outer}, {r}, {inner}].");
        if (n == 0)
            return;
        device.Kernel<ArrayView<T>, ArrayView<long>, ArrayView<T>, int, int, int>(ArgScatterKernels.Scatter)(
            device.Stream, device.GridStride(n), g, indices, gx, r, inner, (int)n);
    }

    /// <summary>
    /// The row shape and launch for [outer, r, inner] on this device; false when there are no rows. Checks that the
    /// block and the outputs (one per row) fit their views.
    /// </summary>
    public static bool Prepare(GpuDevice device, string op, long srcLength, long dstLength, int outer, int r, int inner,
        ReductionPath path, out RowShape shape, out KernelConfig config)
    {
        if (outer < 0 || r < 0 || inner < 0)
            throw new ArgumentException($"{device.Name}: {op}: the block [{outer}, {r}, {inner}] has a negative size.");
        long rows = (long)outer * inner;
        if ((long)outer * r * inner > srcLength || rows > dstLength || (long)outer * r * inner > int.MaxValue)
            throw new ArgumentException($"{device.Name}: {op}: the block [{outer}, {r}, {inner}] does not fit views of {srcLength} and {dstLength} elements.");
        shape = default;
        config = default;
        if (rows == 0)
            return false;
        int lanes = Plan(device, (int)rows, r, inner, path);
        int group = lanes == 1 ? device.LinearGroupSize : Math.Min(device.ReductionGroupSize, ReductionKernels.MaxGroupSize);
        if (lanes > 1 && lanes != device.WarpSize)
            lanes = group;
        int teamsPerGroup = group / lanes;
        long groups = Math.Clamp((rows + teamsPerGroup - 1) / teamsPerGroup, 1, device.IsCpu ? 1 : device.Multiprocessors * 16L);
        shape = new RowShape { Rows = (int)rows, R = r, Inner = inner, Lanes = lanes };
        config = device.Grouped(groups, group);
        return true;
    }

    /// <summary>Lanes per row for this shape: 1, the warp size, or a whole group (any other value than 1 or the warp size).</summary>
    public static int Plan(GpuDevice device, int rows, int r, int inner, ReductionPath path)
    {
        var choice = path;
        if (choice == ReductionPath.Auto)
        {
            if (device.IsCpu)
                choice = ReductionPath.Thread;
            else if (inner == 1)
                choice = r >= GroupRowLength ? ReductionPath.Group
                    : r < ShortRow && rows >= ManyRows ? ReductionPath.Thread
                    : ReductionPath.Warp;
            else
                choice = rows >= FewColumnRows ? ReductionPath.Thread
                    : r >= GroupRowLength && rows < device.Multiprocessors ? ReductionPath.Group
                    : r >= WarpColumnLength ? ReductionPath.Warp
                    : ReductionPath.Thread;
        }
        return choice switch
        {
            ReductionPath.Thread => 1,
            ReductionPath.Warp => device.WarpSize,
            _ => int.MaxValue,
        };
    }

    private static void CheckSame(GpuDevice device, string op, long a, long b)
    {
        if (a != b)
            throw new ArgumentException($"{device.Name}: {op}: views of {a} and {b} elements must have the same size.");
    }
}

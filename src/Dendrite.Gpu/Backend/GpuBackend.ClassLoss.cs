using System.Numerics;
using Dendrite.Backends;
using Dendrite.Gpu.Kernels.ClassLoss;
using Dendrite.Gpu.Kernels.Elementwise;
using Dendrite.Gpu.Kernels.Loss;
using Dendrite.Gpu.Kernels.Reductions;
using Dendrite.Gpu.Memory;
using ILGPU;

namespace Dendrite.Gpu.Backend;

// Class-index losses over dense scores [M, C], Int64 labels [M], optional Float64 weights [C] and Float64 per-row
// losses: one launch per method; the backward kernels read gy and the denominator on the device. Absent optional
// operands are passed as stand-in views the kernels never read.
internal sealed partial class GpuBackend
{
    public (long Position, long Value)? FindInvalidLabel(StorageView labels, long classes, long ignoreIndex)
    {
        lock (Gate)
        {
            long n = labels.Numel;
            if (n == 0)
                return null;
            using var gathered = labels.IsContiguous ? null : Gpu.Allocate<long>(n);
            var view = DenseLabels(labels, gathered);
            if (FirstFlagged(view, new InvalidLabel(classes, ignoreIndex)) is not long i)
                return null;
            Span<long> value = stackalloc long[1];
            Gpu.CopyToHost(view.SubView(i, 1), value);
            return (i, value[0]);
        }
    }

    // The labels as a dense view: the view itself, or gathered (row-major) into `scratch`.
    private ArrayView<long> DenseLabels(StorageView v, DeviceBuffer? scratch)
    {
        if (scratch is null)
            return Dense<long>(v);
        var (sizes, strides) = Layout(v);
        var dense = scratch.View<long>();
        Elementwise.Gather(Gpu, Whole<long>(v), sizes, strides, v.Offset, dense);
        return dense;
    }

    public void CrossEntropy(StorageView logits, StorageView labels, StorageView? weight, int m, int c, double smoothing, long ignoreIndex,
        StorageView lse, StorageView perRow)
    {
        lock (Gate)
        {
            if (m == 0)
                return;
            var a = Args(m, c, ignoreIndex, weight, smoothing);
            var launch = TeamLaunch.Rows(Gpu, m, c, ForcedTeam);
            if (logits.DType == DType.Float32)
                CrossEntropy<float, F32Math>(launch, logits, labels, weight, lse, perRow, a);
            else
                CrossEntropy<double, F64Math>(launch, logits, labels, weight, lse, perRow, a);
        }
    }

    private void CrossEntropy<T, TR>(TeamLaunch launch, StorageView logits, StorageView labels, StorageView? weight, StorageView lse,
        StorageView perRow, ClassLossArgs a)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T>
    {
        var z = Dense<T>(logits);
        var y = Dense<long>(labels);
        var lv = Dense<double>(lse);
        var w = weight is { } wt ? Dense<double>(wt) : lv;
        var rows = Dense<double>(perRow);
        switch (launch.Kind)
        {
            case TeamKind.Thread:
                Gpu.Kernel<ArrayView<T>, ArrayView<long>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ClassLossArgs, ThreadTeam>(
                    CrossEntropyKernels.Forward<T, TR, ThreadTeam>)(Gpu.Stream, launch.Config, z, y, w, lv, rows, a, default);
                break;
            case TeamKind.Warp:
                Gpu.Kernel<ArrayView<T>, ArrayView<long>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ClassLossArgs, WarpTeam>(
                    CrossEntropyKernels.Forward<T, TR, WarpTeam>)(Gpu.Stream, launch.Config, z, y, w, lv, rows, a, default);
                break;
            default:
                Gpu.Kernel<ArrayView<T>, ArrayView<long>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ClassLossArgs, GroupTeam>(
                    CrossEntropyKernels.Forward<T, TR, GroupTeam>)(Gpu.Stream, launch.Config, z, y, w, lv, rows, a, default);
                break;
        }
    }

    public void CrossEntropyBackward(StorageView logits, StorageView labels, StorageView? weight, StorageView lse, StorageView gy,
        StorageView? denominator, int m, int c, double smoothing, long ignoreIndex, StorageView dLogits)
    {
        lock (Gate)
        {
            if (m == 0 || c == 0)
                return;
            var a = Args(m, c, ignoreIndex, weight, smoothing);
            a.PerRowGrad = denominator is null ? 1 : 0;
            var launch = TeamLaunch.Rows(Gpu, m, c, ForcedTeam);
            if (logits.DType == DType.Float32)
                CrossEntropyBackward<float, F32Math>(launch, logits, labels, weight, lse, gy, denominator, dLogits, a);
            else
                CrossEntropyBackward<double, F64Math>(launch, logits, labels, weight, lse, gy, denominator, dLogits, a);
        }
    }

    private void CrossEntropyBackward<T, TR>(TeamLaunch launch, StorageView logits, StorageView labels, StorageView? weight, StorageView lse,
        StorageView gy, StorageView? denominator, StorageView dLogits, ClassLossArgs a)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T>
    {
        var z = Dense<T>(logits);
        var y = Dense<long>(labels);
        var lv = Dense<double>(lse);
        var w = weight is { } wt ? Dense<double>(wt) : lv;
        var g = Dense<T>(gy);
        var den = denominator is { } dn ? Dense<double>(dn) : lv;
        var dz = Dense<T>(dLogits);
        switch (launch.Kind)
        {
            case TeamKind.Thread:
                Gpu.Kernel<ArrayView<T>, ArrayView<long>, ArrayView<double>, ArrayView<double>, ArrayView<T>, ArrayView<double>, ArrayView<T>,
                    ClassLossArgs, ThreadTeam>(CrossEntropyKernels.Backward<T, TR, ThreadTeam>)(
                    Gpu.Stream, launch.Config, z, y, w, lv, g, den, dz, a, default);
                break;
            case TeamKind.Warp:
                Gpu.Kernel<ArrayView<T>, ArrayView<long>, ArrayView<double>, ArrayView<double>, ArrayView<T>, ArrayView<double>, ArrayView<T>,
                    ClassLossArgs, WarpTeam>(CrossEntropyKernels.Backward<T, TR, WarpTeam>)(
                    Gpu.Stream, launch.Config, z, y, w, lv, g, den, dz, a, default);
                break;
            default:
                Gpu.Kernel<ArrayView<T>, ArrayView<long>, ArrayView<double>, ArrayView<double>, ArrayView<T>, ArrayView<double>, ArrayView<T>,
                    ClassLossArgs, GroupTeam>(CrossEntropyKernels.Backward<T, TR, GroupTeam>)(
                    Gpu.Stream, launch.Config, z, y, w, lv, g, den, dz, a, default);
                break;
        }
    }

    public void NllLoss(StorageView logProbs, StorageView labels, StorageView? weight, int m, int c, long ignoreIndex, StorageView perRow)
    {
        lock (Gate)
        {
            if (m == 0)
                return;
            var a = Args(m, c, ignoreIndex, weight, 0);
            if (logProbs.DType == DType.Float32)
                NllLoss<float, F32Math>(logProbs, labels, weight, perRow, a);
            else
                NllLoss<double, F64Math>(logProbs, labels, weight, perRow, a);
        }
    }

    private void NllLoss<T, TR>(StorageView logProbs, StorageView labels, StorageView? weight, StorageView perRow, ClassLossArgs a)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T>
    {
        var rows = Dense<double>(perRow);
        Gpu.Kernel<ArrayView<T>, ArrayView<long>, ArrayView<double>, ArrayView<double>, ClassLossArgs>(NllKernels.Forward<T, TR>)(
            Gpu.Stream, Gpu.GridStride(a.Rows), Dense<T>(logProbs), Dense<long>(labels), weight is { } w ? Dense<double>(w) : rows, rows, a);
    }

    public void NllLossBackward(StorageView labels, StorageView? weight, StorageView gy, StorageView? denominator, int m, int c,
        long ignoreIndex, StorageView dLogProbs)
    {
        lock (Gate)
        {
            if ((long)m * c == 0)
                return;
            var a = Args(m, c, ignoreIndex, weight, 0);
            a.PerRowGrad = denominator is null ? 1 : 0;
            if (gy.DType == DType.Float32)
                NllLossBackward<float, F32Math>(labels, weight, gy, denominator, dLogProbs, a);
            else
                NllLossBackward<double, F64Math>(labels, weight, gy, denominator, dLogProbs, a);
        }
    }

    private void NllLossBackward<T, TR>(StorageView labels, StorageView? weight, StorageView gy, StorageView? denominator,
        StorageView dLogProbs, ClassLossArgs a)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T>
    {
        // One element stands in for an absent weight or denominator (returned to the cache after the queued launch).
        using var standIn = weight is null || denominator is null ? Gpu.Allocate<double>(1) : null;
        var w = weight is { } wt ? Dense<double>(wt) : standIn!.View<double>();
        var den = denominator is { } dn ? Dense<double>(dn) : standIn!.View<double>();
        Gpu.Kernel<ArrayView<long>, ArrayView<double>, ArrayView<T>, ArrayView<double>, ArrayView<T>, ClassLossArgs>(NllKernels.Backward<T, TR>)(
            Gpu.Stream, Gpu.GridStride(a.Rows * a.Classes), Dense<long>(labels), w, Dense<T>(gy), den, Dense<T>(dLogProbs), a);
    }

    public void ReduceClassLoss(StorageView perRow, StorageView labels, StorageView? weight, long ignoreIndex, bool mean,
        StorageView output, StorageView denominator)
    {
        lock (Gate)
        {
            var a = Args(perRow.Numel, 0, ignoreIndex, weight, 0);
            a.Mean = mean ? 1 : 0;
            if (output.DType == DType.Float32)
                ReduceClassLoss<float, F32Math>(perRow, labels, weight, output, denominator, a);
            else
                ReduceClassLoss<double, F64Math>(perRow, labels, weight, output, denominator, a);
        }
    }

    private void ReduceClassLoss<T, TR>(StorageView perRow, StorageView labels, StorageView? weight, StorageView output,
        StorageView denominator, ClassLossArgs a)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T>
    {
        var rows = Dense<double>(perRow);
        var y = Dense<long>(labels);
        var den = Dense<double>(denominator);
        var w = weight is { } wt ? Dense<double>(wt) : den;
        var o = Dense<T>(output);
        var single = TeamLaunch.Single(Gpu, ForcedTeam);
        switch (single.Kind)
        {
            case TeamKind.Thread:
                Gpu.Kernel<ArrayView<double>, ArrayView<long>, ArrayView<double>, ArrayView<T>, ArrayView<double>, ClassLossArgs, ThreadTeam>(
                    NllKernels.Reduce<T, TR, ThreadTeam>)(Gpu.Stream, single.Config, rows, y, w, o, den, a, default);
                break;
            case TeamKind.Warp:
                Gpu.Kernel<ArrayView<double>, ArrayView<long>, ArrayView<double>, ArrayView<T>, ArrayView<double>, ClassLossArgs, WarpTeam>(
                    NllKernels.Reduce<T, TR, WarpTeam>)(Gpu.Stream, single.Config, rows, y, w, o, den, a, default);
                break;
            default:
                Gpu.Kernel<ArrayView<double>, ArrayView<long>, ArrayView<double>, ArrayView<T>, ArrayView<double>, ClassLossArgs, GroupTeam>(
                    NllKernels.Reduce<T, TR, GroupTeam>)(Gpu.Stream, single.Config, rows, y, w, o, den, a, default);
                break;
        }
    }

    private static ClassLossArgs Args(long rows, long classes, long ignoreIndex, StorageView? weight, double smoothing) => new()
    {
        Rows = rows,
        Classes = classes,
        IgnoreIndex = ignoreIndex,
        Smoothing = smoothing,
        Weighted = weight.HasValue ? 1 : 0,
    };
}

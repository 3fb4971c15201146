using System.Numerics;
using Dendrite.Backends;
using Dendrite.Gpu.Kernels.Loss;
using Dendrite.Gpu.Kernels.Reductions;
using ILGPU;

namespace Dendrite.Gpu.Backend;

// Elementwise losses over dense same-length views: one launch per map (two for MSE's value), queued on the stream;
// only FindNonProbability reads back.
internal sealed partial class GpuBackend
{
    public void BinaryCrossEntropy(LossPart part, StorageView x, StorageView t, StorageView? gy, StorageView y)
    {
        lock (Gate)
        {
            if (x.DType == DType.Float32)
                BinaryCrossEntropy<float, F32Math>(part, x, t, gy, y);
            else
                BinaryCrossEntropy<double, F64Math>(part, x, t, gy, y);
        }
    }

    private void BinaryCrossEntropy<T, TR>(LossPart part, StorageView x, StorageView t, StorageView? gy, StorageView y)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T>
    {
        long n = y.Numel;
        if (n == 0)
            return;
        var xv = Dense<T>(x);
        // The log floor and the denominator's lower bound, rounded to T as the CPU rounds them.
        T floor = T.CreateTruncating(-100.0), tiny = T.CreateTruncating(1e-12);
        Gpu.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, long, int, T, T>(ElementwiseLossKernels.BinaryCrossEntropy<T, TR>)(
            Gpu.Stream, Gpu.GridStride(n), xv, Dense<T>(t), gy is { } g ? Dense<T>(g) : xv, Dense<T>(y), n, LossMode(part), floor, tiny);
    }

    public (long Position, double Value)? FindNonProbability(StorageView x)
    {
        lock (Gate)
        {
            if (x.DType == DType.Float32)
            {
                var v = Dense<float>(x);
                return FirstFlagged(v, new NotProbability<float>()) is long i ? (i, ReadOne(v, i)) : null;
            }
            else
            {
                var v = Dense<double>(x);
                return FirstFlagged(v, new NotProbability<double>()) is long i ? (i, ReadOne(v, i)) : null;
            }
        }
    }

    public void BceWithLogits(LossPart part, StorageView x, StorageView t, StorageView? posWeight, StorageView? gy, StorageView y)
    {
        lock (Gate)
        {
            if (x.DType == DType.Float32)
                BceWithLogits<float, F32Math>(part, x, t, posWeight, gy, y);
            else
                BceWithLogits<double, F64Math>(part, x, t, posWeight, gy, y);
        }
    }

    private void BceWithLogits<T, TR>(LossPart part, StorageView x, StorageView t, StorageView? posWeight, StorageView? gy, StorageView y)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T>
    {
        long n = y.Numel;
        if (n == 0)
            return;
        var xv = Dense<T>(x);
        // Absent operands are stand-in views the kernel never reads.
        Gpu.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, long, int, int>(ElementwiseLossKernels.BceWithLogits<T, TR>)(
            Gpu.Stream, Gpu.GridStride(n), xv, Dense<T>(t), posWeight is { } pw ? Dense<T>(pw) : xv, gy is { } g ? Dense<T>(g) : xv,
            Dense<T>(y), n, LossMode(part), posWeight.HasValue ? 1 : 0);
    }

    public void HuberLoss(LossPart part, StorageView x, StorageView t, StorageView? gy, double delta, StorageView y)
    {
        lock (Gate)
        {
            if (x.DType == DType.Float32)
                HuberLoss<float>(part, x, t, gy, delta, y);
            else
                HuberLoss<double>(part, x, t, gy, delta, y);
        }
    }

    private void HuberLoss<T>(LossPart part, StorageView x, StorageView t, StorageView? gy, double delta, StorageView y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long n = y.Numel;
        if (n == 0)
            return;
        var xv = Dense<T>(x);
        int grad = part == LossPart.GradInput ? 1 : 0;
        Gpu.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, long, int, T, T>(ElementwiseLossKernels.Huber)(
            Gpu.Stream, Gpu.GridStride(n), xv, Dense<T>(t), gy is { } g ? Dense<T>(g) : xv, Dense<T>(y), n, grad,
            T.CreateTruncating(delta), T.CreateTruncating(0.5));
    }

    public void MseLoss(StorageView x, StorageView t, StorageView diff, StorageView loss)
    {
        lock (Gate)
        {
            if (x.DType == DType.Float32)
                MseLoss<float, F32Math>(x, t, diff, loss);
            else
                MseLoss<double, F64Math>(x, t, diff, loss);
        }
    }

    // Launch 1: diff and per-team partial sums of diff² (in double); launch 2: one team sums the partials and scales
    // by 1/N (computed in T, as the CPU does).
    private void MseLoss<T, TR>(StorageView x, StorageView t, StorageView diff, StorageView loss)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T>
    {
        long n = diff.Numel;
        var launch = TeamLaunch.Partials(Gpu, n, ForcedTeam);
        using var partials = Gpu.Allocate<double>(launch.TeamCount);
        var pv = partials.View<double>();
        if (launch.Kind == TeamKind.Thread)
            Gpu.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, long, ArrayView<double>, ThreadTeam>(MseKernels.Difference<T, TR, ThreadTeam>)(
                Gpu.Stream, launch.Config, Dense<T>(x), Dense<T>(t), Dense<T>(diff), n, pv, default);
        else
            Gpu.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, long, ArrayView<double>, GroupTeam>(MseKernels.Difference<T, TR, GroupTeam>)(
                Gpu.Stream, launch.Config, Dense<T>(x), Dense<T>(t), Dense<T>(diff), n, pv, default);
        T invN = T.One / T.CreateTruncating(n);
        var single = TeamLaunch.Single(Gpu, ForcedTeam);
        var lv = Dense<T>(loss);
        switch (single.Kind)
        {
            case TeamKind.Thread:
                Gpu.Kernel<ArrayView<double>, long, ArrayView<T>, T, ThreadTeam>(MseKernels.Finish<T, TR, ThreadTeam>)(
                    Gpu.Stream, single.Config, pv, launch.TeamCount, lv, invN, default);
                break;
            case TeamKind.Warp:
                Gpu.Kernel<ArrayView<double>, long, ArrayView<T>, T, WarpTeam>(MseKernels.Finish<T, TR, WarpTeam>)(
                    Gpu.Stream, single.Config, pv, launch.TeamCount, lv, invN, default);
                break;
            default:
                Gpu.Kernel<ArrayView<double>, long, ArrayView<T>, T, GroupTeam>(MseKernels.Finish<T, TR, GroupTeam>)(
                    Gpu.Stream, single.Config, pv, launch.TeamCount, lv, invN, default);
                break;
        }
    }

    public void MseLossBackward(StorageView diff, StorageView gy, StorageView gx)
    {
        lock (Gate)
        {
            // c = gy[0]·(1/N) with 1/N formed in double and rounded once, as Mean's backward forms it.
            if (diff.DType == DType.Float32)
                MseLossBackward(diff, gy, gx, (float)(1.0 / diff.Numel));
            else
                MseLossBackward(diff, gy, gx, 1.0 / diff.Numel);
        }
    }

    private void MseLossBackward<T>(StorageView diff, StorageView gy, StorageView gx, T invN) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long n = diff.Numel;
        if (n == 0)
            return;
        Gpu.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, long, T>(MseKernels.Gradient)(
            Gpu.Stream, Gpu.GridStride(n), Dense<T>(diff), Dense<T>(gy), Dense<T>(gx), n, invN);
    }

    private static int LossMode(LossPart part) => part switch
    {
        LossPart.Value => 0,
        LossPart.GradInput => 1,
        LossPart.GradTarget => 2,
        _ => 3,
    };
}

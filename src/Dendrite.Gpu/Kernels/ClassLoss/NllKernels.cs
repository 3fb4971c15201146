using System.Numerics;
using Dendrite.Gpu.Kernels.Loss;
using Dendrite.Gpu.Kernels.Reductions;
using ILGPU;

namespace Dendrite.Gpu.Kernels.ClassLoss;

/// <summary>
/// Negative log-likelihood over log-probabilities [M, C] with labels [M] (Int64) and optional class weights [C]
/// (double), and the reduction shared by the class losses. Grid-stride and barrier-free, except the reduction, which
/// runs on one team.
/// </summary>
internal static class NllKernels
{
    /// <summary>perRow_i = −w_y·lp[i, y] in double (0 for an ignored row).</summary>
    [GpuKernel]
    public static void Forward<T, TR>(ArrayView<T> logProbs, ArrayView<long> labels, ArrayView<double> w, ArrayView<double> perRow,
        ClassLossArgs a)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T>
    {
        TR ops = default;
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < a.Rows; i += stride)
        {
            long y = labels[i];
            if (y == a.IgnoreIndex)
            {
                perRow[i] = 0;
                continue;
            }
            double wy = a.Weighted != 0 ? w[y] : 1.0;
            perRow[i] = -wy * ops.ToDouble(logProbs[i * a.Classes + y]);
        }
    }

    /// <summary>
    /// d [M, C] (overwritten): −s·w_y rounded to T at [i, y] of a kept row, 0 elsewhere, with s = g[i] (per-row)
    /// or g[0]/denominator[0]; one element per thread step, so the zeros are written coalesced.
    /// </summary>
    [GpuKernel]
    public static void Backward<T, TR>(ArrayView<long> labels, ArrayView<double> w, ArrayView<T> g, ArrayView<double> denominator,
        ArrayView<T> d, ClassLossArgs a)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T>
    {
        TR ops = default;
        long n = a.Rows * a.Classes;
        long stride = (long)Grid.DimX * Group.DimX;
        for (long k = Grid.GlobalIndex.X; k < n; k += stride)
        {
            long i = k / a.Classes;
            long y = labels[i];
            T v = T.Zero;
            if (y != a.IgnoreIndex && k - i * a.Classes == y)
            {
                double s = a.PerRowGrad != 0 ? ops.ToDouble(g[i]) : ops.ToDouble(g[0]) / denominator[0];
                v = ops.FromDouble(-s * (a.Weighted != 0 ? w[y] : 1.0));
            }
            d[k] = v;
        }
    }

    /// <summary>
    /// denominator[0] = Σ w_y (1 without weights) over the kept rows when <see cref="ClassLossArgs.Mean"/>, else 1;
    /// output[0] = (Σ_i perRow_i)/denominator[0] rounded to T. One team; sums in double.
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float), typeof(F32Math), typeof(ThreadTeam)), KernelInstance(typeof(float), typeof(F32Math), typeof(WarpTeam))]
    [KernelInstance(typeof(float), typeof(F32Math), typeof(GroupTeam)), KernelInstance(typeof(double), typeof(F64Math), typeof(ThreadTeam))]
    [KernelInstance(typeof(double), typeof(F64Math), typeof(WarpTeam)), KernelInstance(typeof(double), typeof(F64Math), typeof(GroupTeam))]
    public static void Reduce<T, TR, TTeam>(ArrayView<double> perRow, ArrayView<long> labels, ArrayView<double> w, ArrayView<T> output,
        ArrayView<double> denominator, ClassLossArgs a, TTeam team)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T> where TTeam : struct, ITeam
    {
        var scratch = SharedMemory.Allocate<double>(BlockReduce.MaxWarps);
        TR ops = default;
        double total = 0, denom = 0;
        for (long i = team.Rank(); i < a.Rows; i += team.Size())
        {
            total += perRow[i];
            long y = labels[i];
            if (a.Mean != 0 && y != a.IgnoreIndex)
                denom += a.Weighted != 0 ? w[y] : 1.0;
        }
        total = team.Sum(total, scratch);
        denom = a.Mean != 0 ? team.Sum(denom, scratch) : 1.0;
        if (team.Rank() == 0)
        {
            denominator[0] = denom;
            output[0] = ops.FromDouble(total / denom);
        }
    }
}

using System.Numerics;
using Dendrite.Gpu.Kernels.Loss;
using Dendrite.Gpu.Kernels.Reductions;
using ILGPU;

namespace Dendrite.Gpu.Kernels.ClassLoss;

/// <summary>
/// Fused log-softmax + NLL over logits z [M, C] with labels y [M] (Int64), optional class weights w [C] (double),
/// label smoothing ε and an ignored label: one team per row (a thread, a warp or a group, see
/// <see cref="TeamLaunch.Rows"/>), teams striding over rows. Sums and the log-sum-exp are in double; the softmax
/// exponentials in the logits' type, as in the CPU backend.
/// </summary>
internal static class CrossEntropyKernels
{
    /// <summary>
    /// lse_i = max_i + ln Σ_j e^(z_ij − max_i) (= max_i when max_i is ±∞ or NaN, −∞ for C = 0) and
    /// perRow_i = (1 − ε)·w_y·(lse_i − z_iy) + (ε/C)·S_i with S_i = lse_i·Σw − Σ_j w_j·z_ij (weights) or
    /// C·lse_i − Σ_j z_ij; 0 for an ignored row.
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float), typeof(F32Math), typeof(ThreadTeam)), KernelInstance(typeof(float), typeof(F32Math), typeof(WarpTeam))]
    [KernelInstance(typeof(float), typeof(F32Math), typeof(GroupTeam)), KernelInstance(typeof(double), typeof(F64Math), typeof(ThreadTeam))]
    [KernelInstance(typeof(double), typeof(F64Math), typeof(WarpTeam)), KernelInstance(typeof(double), typeof(F64Math), typeof(GroupTeam))]
    public static void Forward<T, TR, TTeam>(ArrayView<T> z, ArrayView<long> labels, ArrayView<double> w, ArrayView<double> lse,
        ArrayView<double> perRow, ClassLossArgs a, TTeam team)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T> where TTeam : struct, ITeam
    {
        var scratch = SharedMemory.Allocate<double>(BlockReduce.MaxWarps);
        TR ops = default;
        long c = a.Classes;
        bool weighted = a.Weighted != 0;
        int rank = team.Rank(), size = team.Size();
        for (long i = team.Team(); i < a.Rows; i += team.Teams())
        {
            long row = i * c;
            long y = labels[i];
            bool kept = y != a.IgnoreIndex;
            bool smooth = kept && a.Smoothing != 0;

            // Pass 1: the row maximum and, for smoothing, Σ z_j (or Σ w_j·z_j and Σ w_j).
            double max = double.NegativeInfinity, sumZ = 0, sumW = 0;
            for (long j = rank; j < c; j += size)
            {
                double v = ops.ToDouble(z[row + j]);
                max = TeamOps.Max(max, v);
                if (smooth)
                {
                    if (weighted)
                    {
                        sumZ += w[j] * v;
                        sumW += w[j];
                    }
                    else
                    {
                        sumZ += v;
                    }
                }
            }
            max = team.Max(max, scratch);

            // Pass 2: Σ e^(z_j − max) with the exponentials in T.
            double rowLse = max;
            if (!double.IsInfinity(max) && !double.IsNaN(max))
            {
                T shift = ops.FromDouble(max);
                double sum = 0;
                for (long j = rank; j < c; j += size)
                    sum += ops.ToDouble(ops.Exp(z[row + j] - shift));
                rowLse = max + DeviceMath.Log(team.Sum(sum, scratch));
            }

            double loss = 0;
            if (kept)
            {
                double wy = weighted ? w[y] : 1.0;
                loss = (1 - a.Smoothing) * wy * (rowLse - ops.ToDouble(z[row + y]));
            }
            if (smooth)
            {
                sumZ = team.Sum(sumZ, scratch);
                double weightedSum = weighted ? rowLse * team.Sum(sumW, scratch) - sumZ : c * rowLse - sumZ;
                loss += a.Smoothing / c * weightedSum;
            }
            if (rank == 0)
            {
                lse[i] = rowLse;
                perRow[i] = loss;
            }
        }
    }

    /// <summary>
    /// dz [M, C] (overwritten; zero rows where ignored): with s = g[i] (per-row) or g[0]/denominator[0] and
    /// p_j = e^(z_j − lse) in T, dz_j = p_j·(s·((1 − ε)·w_y + (ε/C)·Σw)) − s·ε/C·w_j − [j = y]·s·(1 − ε)·w_y,
    /// each product rounded to T as the CPU backend rounds it (Σw = C without weights).
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float), typeof(F32Math), typeof(ThreadTeam)), KernelInstance(typeof(float), typeof(F32Math), typeof(WarpTeam))]
    [KernelInstance(typeof(float), typeof(F32Math), typeof(GroupTeam)), KernelInstance(typeof(double), typeof(F64Math), typeof(ThreadTeam))]
    [KernelInstance(typeof(double), typeof(F64Math), typeof(WarpTeam)), KernelInstance(typeof(double), typeof(F64Math), typeof(GroupTeam))]
    public static void Backward<T, TR, TTeam>(ArrayView<T> z, ArrayView<long> labels, ArrayView<double> w, ArrayView<double> lse,
        ArrayView<T> g, ArrayView<double> denominator, ArrayView<T> dz, ClassLossArgs a, TTeam team)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T> where TTeam : struct, ITeam
    {
        var scratch = SharedMemory.Allocate<double>(BlockReduce.MaxWarps);
        TR ops = default;
        long c = a.Classes;
        double eps = a.Smoothing;
        bool weighted = a.Weighted != 0;
        int rank = team.Rank(), size = team.Size();
        for (long i = team.Team(); i < a.Rows; i += team.Teams())
        {
            long row = i * c;
            long y = labels[i];
            if (y == a.IgnoreIndex)
            {
                for (long j = rank; j < c; j += size)
                    dz[row + j] = T.Zero;
                continue;
            }
            double s = a.PerRowGrad != 0 ? ops.ToDouble(g[i]) : ops.ToDouble(g[0]) / denominator[0];
            double wy = weighted ? w[y] : 1.0;
            double sumW = c;
            if (weighted)
            {
                sumW = 0;
                for (long j = rank; j < c; j += size)
                    sumW += w[j];
                sumW = team.Sum(sumW, scratch);
            }
            T shift = ops.FromDouble(lse[i]);
            T pScale = ops.FromDouble(s * ((1 - eps) * wy + eps / c * sumW));
            double smoothScale = s * eps / c;
            T smoothUniform = ops.FromDouble(smoothScale);
            T oneHot = ops.FromDouble(s * (1 - eps) * wy);
            for (long j = rank; j < c; j += size)
            {
                T d = ops.Exp(z[row + j] - shift) * pScale;
                if (eps != 0)
                    d -= weighted ? ops.FromDouble(smoothScale * w[j]) : smoothUniform;
                if (j == y)
                    d -= oneHot;
                dz[row + j] = d;
            }
        }
    }
}

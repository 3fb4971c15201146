using System.Numerics;
using Dendrite.Gpu.Kernels.Loss;
using Dendrite.Gpu.Kernels.Reductions;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Optim;

/// <summary>Which p-norm <see cref="NormKernels"/> take, and p.</summary>
internal struct NormArgs
{
    /// <summary>Mode 0: p = 2 (Σx², √); 1: p = 1 (Σ|x|); 2: p = ∞ (max |x|); 3: general p (Σ|x|ᵖ, ^(1/p)).</summary>
    public int Mode;

    /// <summary>p and 1/p (computed in double on the host).</summary>
    public double P, InvP;
}

/// <summary>
/// clip_grad_norm_ on the device: per-tensor partial accumulations (one launch per tensor into its slice of a
/// partials buffer), one launch that turns them into each tensor's norm ‖x‖ and the total (Σ‖x‖ᵖ)^(1/p) (max for
/// p = ∞), and the scaling by maxNorm/(total + 1e-6) when that is below 1, read on the device. All accumulation is in
/// double; the per-tensor norm is formed and raised back to p as the CPU backend does.
/// </summary>
internal static class NormKernels
{
    /// <summary>partials[team] = Σ x² (mode 0), Σ |x| (1), max |x| (2, NaN wins, 0 when empty) or Σ |x|ᵖ (3) over the team's grid-stride elements.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float), typeof(F32Math), typeof(ThreadTeam)), KernelInstance(typeof(float), typeof(F32Math), typeof(GroupTeam))]
    [KernelInstance(typeof(double), typeof(F64Math), typeof(ThreadTeam)), KernelInstance(typeof(double), typeof(F64Math), typeof(GroupTeam))]
    public static void Partials<T, TR, TTeam>(ArrayView<T> x, long n, ArrayView<double> partials, NormArgs a, TTeam team)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T> where TTeam : struct, ITeam
    {
        var scratch = SharedMemory.Allocate<double>(BlockReduce.MaxWarps);
        TR ops = default;
        long stride = (long)Grid.DimX * Group.DimX;
        double acc = 0;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            double v = ops.ToDouble(x[i]);
            double m = Math.Abs(v);
            acc = a.Mode switch
            {
                0 => acc + v * v,
                1 => acc + m,
                2 => TeamOps.Max(acc, m),
                _ => acc + DeviceExp.PowMagnitude(m, a.P),
            };
        }
        acc = a.Mode == 2 ? team.Max(acc, scratch) : team.Sum(acc, scratch);
        if (team.Rank() == 0)
            partials[team.Team()] = acc;
    }

    /// <summary>
    /// total[0] from the partials of <paramref name="tensors"/> tensors, <paramref name="per"/> each, on one thread,
    /// in tensor order as the CPU backend: ‖x‖ = √s, s, s or s^(1/p); total = Σ‖x‖ᵖ then ^(1/p), or max ‖x‖.
    /// </summary>
    [GpuKernel]
    public static void FinishThread(ArrayView<double> partials, long tensors, long per, NormArgs a, ArrayView<double> total)
    {
        if (Grid.GlobalIndex.X != 0)
            return;
        double sum = 0;
        for (long t = 0; t < tensors; t++)
        {
            double s = 0;
            for (long k = 0; k < per; k++)
                s = a.Mode == 2 ? TeamOps.Max(s, partials[t * per + k]) : s + partials[t * per + k];
            double c = Contribution(s, a);
            sum = a.Mode == 2 ? TeamOps.Max(sum, c) : sum + c;
        }
        total[0] = Final(sum, a);
    }

    /// <summary>
    /// total[0] as <see cref="FinishThread"/>, by one group: each warp forms the contributions ‖x‖ᵖ of its tensors
    /// (warp w takes tensors w, w + warps, ...) into <paramref name="contributions"/>, then the group combines them.
    /// </summary>
    [GpuKernel]
    public static void FinishGroup(ArrayView<double> partials, long tensors, long per, NormArgs a, ArrayView<double> contributions,
        ArrayView<double> total)
    {
        var scratch = SharedMemory.Allocate<double>(BlockReduce.MaxWarps);
        int warps = Group.DimX / Warp.WarpSize;
        for (long t = Warp.WarpIdx; t < tensors; t += warps)
        {
            double s = 0;
            for (long k = Warp.LaneIdx; k < per; k += Warp.WarpSize)
                s = a.Mode == 2 ? TeamOps.Max(s, partials[t * per + k]) : s + partials[t * per + k];
            s = a.Mode == 2 ? WarpTeam.WarpMax(s) : WarpTeam.WarpSum(s);
            if (Warp.LaneIdx == 0)
                contributions[t] = Contribution(s, a);
        }
        Group.Barrier();
        double sum = 0;
        for (long t = Group.IdxX; t < tensors; t += Group.DimX)
            sum = a.Mode == 2 ? TeamOps.Max(sum, contributions[t]) : sum + contributions[t];
        var team = default(GroupTeam);
        sum = a.Mode == 2 ? team.Max(sum, scratch) : team.Sum(sum, scratch);
        if (Group.IdxX == 0)
            total[0] = Final(sum, a);
    }

    /// <summary>
    /// x[i] = x[i]·c with c = maxNorm/(total[0] + 1e-6) in double, rounded to T, when c &lt; 1; otherwise (NaN
    /// included) x is left as it is.
    /// </summary>
    [GpuKernel]
    public static void Scale<T, TR>(ArrayView<T> x, long n, ArrayView<double> total, double maxNorm)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T>
    {
        TR ops = default;
        double coef = maxNorm / (total[0] + 1e-6);
        if (!(coef < 1))
            return;
        T c = ops.FromDouble(coef);
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
            x[i] = x[i] * c;
    }

    // One tensor's term of the total from its accumulated s: ‖x‖ᵖ with ‖x‖ formed first, as the CPU does
    // (Math.Pow(√s, 2) is √s·√s, correctly rounded).
    private static double Contribution(double s, NormArgs a)
    {
        switch (a.Mode)
        {
            case 0:
                double norm = Math.Sqrt(s);
                return norm * norm;
            case 3:
                return DeviceExp.PowMagnitude(DeviceExp.PowMagnitude(s, a.InvP), a.P);
            default:
                return s;
        }
    }

    private static double Final(double sum, NormArgs a) => a.Mode switch
    {
        0 => Math.Sqrt(sum),
        3 => DeviceExp.PowMagnitude(sum, a.InvP),
        _ => sum,
    };
}

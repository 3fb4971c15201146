using System.Numerics;
using Dendrite.Gpu.Kernels.Reductions;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Loss;

/// <summary>
/// Mean squared error in two launches (the difference and per-team partial sums of its squares, then one team
/// combining the partials into the 0-d loss) and its gradient, which reads the incoming gradient on the device.
/// </summary>
internal static class MseKernels
{
    /// <summary>
    /// d[i] = x[i] − t[i] and partials[team] = Σ (d·d rounded to T, widened to double) over the grid-stride
    /// elements of the team's threads.
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float), typeof(F32Math), typeof(ThreadTeam)), KernelInstance(typeof(float), typeof(F32Math), typeof(GroupTeam))]
    [KernelInstance(typeof(double), typeof(F64Math), typeof(ThreadTeam)), KernelInstance(typeof(double), typeof(F64Math), typeof(GroupTeam))]
    public static void Difference<T, TR, TTeam>(ArrayView<T> x, ArrayView<T> t, ArrayView<T> d, long n, ArrayView<double> partials, TTeam team)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T> where TTeam : struct, ITeam
    {
        var scratch = SharedMemory.Allocate<double>(BlockReduce.MaxWarps);
        TR ops = default;
        long stride = (long)Grid.DimX * Group.DimX;
        double acc = 0;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            T v = x[i] - t[i];
            d[i] = v;
            acc += ops.ToDouble(v * v);
        }
        acc = team.Sum(acc, scratch);
        if (team.Rank() == 0)
            partials[team.Team()] = acc;
    }

    /// <summary>loss[0] = (Σ partials rounded to T)·invN, by one team; invN = 1/N computed in T.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float), typeof(F32Math), typeof(ThreadTeam)), KernelInstance(typeof(float), typeof(F32Math), typeof(WarpTeam))]
    [KernelInstance(typeof(float), typeof(F32Math), typeof(GroupTeam)), KernelInstance(typeof(double), typeof(F64Math), typeof(ThreadTeam))]
    [KernelInstance(typeof(double), typeof(F64Math), typeof(WarpTeam)), KernelInstance(typeof(double), typeof(F64Math), typeof(GroupTeam))]
    public static void Finish<T, TR, TTeam>(ArrayView<double> partials, long count, ArrayView<T> loss, T invN, TTeam team)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T> where TTeam : struct, ITeam
    {
        var scratch = SharedMemory.Allocate<double>(BlockReduce.MaxWarps);
        TR ops = default;
        double acc = 0;
        for (long k = team.Rank(); k < count; k += team.Size())
            acc += partials[k];
        acc = team.Sum(acc, scratch);
        if (team.Rank() == 0)
            loss[0] = ops.FromDouble(acc) * invN;
    }

    /// <summary>gx[i] = c·(2·d[i]) with c = gy[0]·invN (invN = 1/N rounded to T), read on the device.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void Gradient<T>(ArrayView<T> d, ArrayView<T> gy, ArrayView<T> gx, long n, T invN)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T c = gy[0] * invN;
        T two = T.One + T.One;
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
            gx[i] = c * (two * d[i]);
    }
}

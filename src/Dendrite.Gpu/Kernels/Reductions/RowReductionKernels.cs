using System.Numerics;
using Dendrite.Gpu.Kernels.Elementwise;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Reductions;

/// <summary>
/// Fused reductions over the middle dimension of a dense [outer, r, inner] block (see <see cref="RowShape"/>), one
/// output per row: a scaled sum, mean and variance, and log-sum-exp. Teams stride over rows; every pass over a row
/// is split over the team's lanes and combined with <see cref="TeamReduce"/> (a fixed order: the same bits every run).
/// </summary>
internal static class RowReductionKernels
{
    /// <summary>y[q] = scale·Σ_k x[row q, k] (Int64 sums exactly with scale 1).</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double)), KernelInstance(typeof(long))]
    public static void Sum<T>(ArrayView<T> x, ArrayView<T> y, RowShape s, T scale) where T : unmanaged, INumber<T>
    {
        var scratch = SharedMemory.Allocate<T>(BlockReduce.MaxWarps);
        int lanes = s.Lanes, lane = s.Lane(), step = s.TeamCount();
        for (int row = s.Team(); row < s.Rows; row += step)
        {
            int start = s.Start(row);
            T acc = T.Zero;
            for (int k = lane; k < s.R; k += lanes)
                acc += x[start + k * s.Inner];
            acc = TeamReduce.All(acc, lanes, scratch, default(SumOp<T>));
            if (lane == 0)
                y[row] = acc * scale;
        }
    }

    /// <summary>
    /// Two passes per row: mean[q] = Σ x·invN, then variance[q] = Σ (x − mean)²·invD (invN = 1/r, invD = 1/(r − ddof),
    /// both rounded to T on the host).
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void Moments<T>(ArrayView<T> x, ArrayView<T> mean, ArrayView<T> variance, RowShape s, T invN, T invD)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scratch = SharedMemory.Allocate<T>(BlockReduce.MaxWarps);
        int lanes = s.Lanes, lane = s.Lane(), step = s.TeamCount();
        for (int row = s.Team(); row < s.Rows; row += step)
        {
            int start = s.Start(row);
            T acc = T.Zero;
            for (int k = lane; k < s.R; k += lanes)
                acc += x[start + k * s.Inner];
            T m = TeamReduce.All(acc, lanes, scratch, default(SumOp<T>)) * invN;
            T squares = T.Zero;
            for (int k = lane; k < s.R; k += lanes)
            {
                T d = x[start + k * s.Inner] - m;
                squares += d * d;
            }
            squares = TeamReduce.All(squares, lanes, scratch, default(SumOp<T>));
            if (lane == 0)
            {
                mean[row] = m;
                variance[row] = squares * invD;
            }
        }
    }

    /// <summary>
    /// y[q] = m + ln Σ_k e^(x − m) with m the row's max (NaN propagates), shifted by 0 instead when m is infinite (so
    /// an all-(−∞) row gives −∞ and an empty row −∞).
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float), typeof(Real32)), KernelInstance(typeof(double), typeof(Real64))]
    public static void LogSumExp<T, TR>(ArrayView<T> x, ArrayView<T> y, RowShape s)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T>
    {
        var scratch = SharedMemory.Allocate<T>(BlockReduce.MaxWarps);
        int lanes = s.Lanes, lane = s.Lane(), step = s.TeamCount();
        for (int row = s.Team(); row < s.Rows; row += step)
        {
            int start = s.Start(row);
            T m = RowMax(x, start, s, lane, scratch);
            T sum = T.Zero;
            for (int k = lane; k < s.R; k += lanes)
                sum += ShiftedExp<T, TR>(x[start + k * s.Inner], m);
            sum = TeamReduce.All(sum, lanes, scratch, default(SumOp<T>));
            if (lane == 0)
                y[row] = m + default(TR).Narrow(DeviceMath.Log(default(TR).Wide(sum)));
        }
    }

    /// <summary>The row's max over the team (NaN wins), replaced by 0 when infinite: the shift of the exponentials.</summary>
    [DeviceFunction]
    public static T RowMax<T>(ArrayView<T> x, int start, RowShape s, int lane, ArrayView<T> scratch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T m = T.NegativeInfinity;
        for (int k = lane; k < s.R; k += s.Lanes)
            m = default(MaxOp<T>).Combine(m, x[start + k * s.Inner]);
        m = TeamReduce.All(m, s.Lanes, scratch, default(MaxOp<T>));
        return T.IsInfinity(m) ? T.Zero : m;
    }

    /// <summary>e^(v − m) with the difference taken in T and the exponential rounded to T (as the CPU).</summary>
    public static T ShiftedExp<T, TR>(T v, T m) where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T> =>
        default(TR).Narrow(DeviceMath.Exp(default(TR).Wide(v - m)));
}

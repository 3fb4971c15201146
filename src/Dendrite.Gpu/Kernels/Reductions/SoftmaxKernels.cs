using System.Numerics;
using Dendrite.Gpu.Kernels.Elementwise;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Reductions;

/// <summary>
/// Softmax and log-softmax over the middle dimension of a dense [outer, r, inner] block and their backward passes,
/// one fused kernel each (see <see cref="RowShape"/> for the teams): the forward reads a row three times (max, sum of
/// exponentials, write), the backward twice (the sum, then the write).
/// </summary>
internal static class SoftmaxKernels
{
    /// <summary>
    /// With m the row's (safe) max and S = Σ e^(x − m): y = e^(x − m)·(1/S), or for log-softmax y = x − (m + ln S).
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float), typeof(Real32)), KernelInstance(typeof(double), typeof(Real64))]
    public static void Forward<T, TR>(ArrayView<T> x, ArrayView<T> y, RowShape s, int log)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T>
    {
        var scratch = SharedMemory.Allocate<T>(BlockReduce.MaxWarps);
        int lanes = s.Lanes, lane = s.Lane(), step = s.TeamCount();
        for (int row = s.Team(); row < s.Rows; row += step)
        {
            int start = s.Start(row);
            T m = RowReductionKernels.RowMax(x, start, s, lane, scratch);
            T sum = T.Zero;
            for (int k = lane; k < s.R; k += lanes)
                sum += RowReductionKernels.ShiftedExp<T, TR>(x[start + k * s.Inner], m);
            sum = TeamReduce.All(sum, lanes, scratch, default(SumOp<T>));
            if (log != 0)
            {
                T shift = m + default(TR).Narrow(DeviceMath.Log(default(TR).Wide(sum)));
                for (int k = lane; k < s.R; k += lanes)
                {
                    int at = start + k * s.Inner;
                    y[at] = x[at] - shift;
                }
            }
            else
            {
                T inverse = T.One / sum;
                for (int k = lane; k < s.R; k += lanes)
                {
                    int at = start + k * s.Inner;
                    y[at] = RowReductionKernels.ShiftedExp<T, TR>(x[at], m) * inverse;
                }
            }
        }
    }

    /// <summary>From the output y and its gradient g: softmax gx = (g − Σ g·y)·y; log-softmax gx = g − e^y·Σ g.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float), typeof(Real32)), KernelInstance(typeof(double), typeof(Real64))]
    public static void Backward<T, TR>(ArrayView<T> g, ArrayView<T> y, ArrayView<T> gx, RowShape s, int log)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T>
    {
        var scratch = SharedMemory.Allocate<T>(BlockReduce.MaxWarps);
        int lanes = s.Lanes, lane = s.Lane(), step = s.TeamCount();
        for (int row = s.Team(); row < s.Rows; row += step)
        {
            int start = s.Start(row);
            T acc = T.Zero;
            for (int k = lane; k < s.R; k += lanes)
            {
                int at = start + k * s.Inner;
                acc += log != 0 ? g[at] : g[at] * y[at];
            }
            acc = TeamReduce.All(acc, lanes, scratch, default(SumOp<T>));
            for (int k = lane; k < s.R; k += lanes)
            {
                int at = start + k * s.Inner;
                gx[at] = log != 0
                    ? g[at] - default(TR).Narrow(DeviceMath.Exp(default(TR).Wide(y[at]))) * acc
                    : (g[at] - acc) * y[at];
            }
        }
    }
}

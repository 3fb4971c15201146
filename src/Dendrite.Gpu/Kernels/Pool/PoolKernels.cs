using System.Numerics;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Pool;

/// <summary>
/// 2-D max and average pooling over dense planes [P, H, W] → [P, OutH, OutW], one thread per output (forward) or per
/// input element (backward), grid-stride, no barriers. The backward kernels gather: each input element sums the
/// gradients of the windows that chose (max) or cover (average) it, in output order, from zero, so they are
/// deterministic and write every element, matching the CPU's order of additions.
/// </summary>
internal static class PoolKernels
{
    /// <summary>
    /// y = the max of each window (padding never chosen; a later tap wins when strictly greater or NaN, so ties keep
    /// the first and a NaN window gives its last NaN), and when <paramref name="withIndices"/> is 1 the in-plane
    /// position ih·W + iw of the chosen tap (−1 for a window with no tap inside the plane).
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void MaxForward<T>(ArrayView<T> x, ArrayView<T> y, ArrayView<int> indices, int withIndices, int planes, PoolParams p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int total = planes * p.OutH * p.OutW, plane = p.H * p.W;
        int stride = Grid.DimX * Group.DimX;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int ow = e % p.OutW, rest = e / p.OutW;
            int oh = rest % p.OutH, pl = rest / p.OutH;
            int h0 = oh * p.StrideH - p.PadH, w0 = ow * p.StrideW - p.PadW, at = pl * plane;
            T best = T.NegativeInfinity;
            int chosen = -1;
            for (int kh = 0; kh < p.KH; kh++)
            {
                int ih = h0 + kh * p.DilationH;
                if (ih < 0 || ih >= p.H)
                    continue;
                for (int kw = 0; kw < p.KW; kw++)
                {
                    int iw = w0 + kw * p.DilationW;
                    if (iw < 0 || iw >= p.W)
                        continue;
                    T v = x[at + ih * p.W + iw];
                    if (chosen < 0 || v > best || T.IsNaN(v))
                    {
                        best = v;
                        chosen = ih * p.W + iw;
                    }
                }
            }
            y[e] = best;
            if (withIndices != 0)
                indices[e] = chosen;
        }
    }

    /// <summary>dx[p, ih, iw] = Σ gy[p, oh, ow] over the windows whose chosen position is (ih, iw), in (oh, ow) order.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void MaxBackward<T>(ArrayView<T> gy, ArrayView<int> indices, ArrayView<T> dx, int planes, PoolParams p)
        where T : unmanaged, INumber<T>
    {
        int total = planes * p.H * p.W, outPlane = p.OutH * p.OutW;
        int stride = Grid.DimX * Group.DimX;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int iw = e % p.W, rest = e / p.W;
            int ih = rest % p.H, pl = rest / p.H;
            int position = ih * p.W + iw, at = pl * outPlane;
            int ohLo = PoolParams.FirstWindow(ih, p.PadH, p.KH, p.DilationH, p.StrideH);
            int ohHi = PoolParams.LastWindow(ih, p.PadH, p.StrideH, p.OutH);
            int owLo = PoolParams.FirstWindow(iw, p.PadW, p.KW, p.DilationW, p.StrideW);
            int owHi = PoolParams.LastWindow(iw, p.PadW, p.StrideW, p.OutW);
            T acc = T.Zero;
            for (int oh = ohLo; oh <= ohHi; oh++)
                for (int ow = owLo; ow <= owHi; ow++)
                {
                    int o = at + oh * p.OutW + ow;
                    if (indices[o] == position)
                        acc += gy[o];
                }
            dx[e] = acc;
        }
    }

    /// <summary>
    /// y = (Σ of the window's taps inside the plane, in row-major order) / <paramref name="divisor"/> (KH·KW: the
    /// zero padding counts). No dilation (average pooling has none).
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void AvgForward<T>(ArrayView<T> x, ArrayView<T> y, int planes, PoolParams p, T divisor) where T : unmanaged, INumber<T>
    {
        int total = planes * p.OutH * p.OutW, plane = p.H * p.W;
        int stride = Grid.DimX * Group.DimX;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int ow = e % p.OutW, rest = e / p.OutW;
            int oh = rest % p.OutH, pl = rest / p.OutH;
            int h0 = oh * p.StrideH - p.PadH, w0 = ow * p.StrideW - p.PadW;
            int ihLo = Math.Max(h0, 0), ihHi = Math.Min(h0 + p.KH, p.H);
            int iwLo = Math.Max(w0, 0), iwHi = Math.Min(w0 + p.KW, p.W);
            T sum = T.Zero;
            for (int ih = ihLo; ih < ihHi; ih++)
                for (int iw = iwLo; iw < iwHi; iw++)
                    sum += x[pl * plane + ih * p.W + iw];
            y[e] = sum / divisor;
        }
    }

    /// <summary>dx[p, ih, iw] = Σ gy[p, oh, ow] / divisor over the windows covering (ih, iw), in (oh, ow) order.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void AvgBackward<T>(ArrayView<T> gy, ArrayView<T> dx, int planes, PoolParams p, T divisor) where T : unmanaged, INumber<T>
    {
        int total = planes * p.H * p.W, outPlane = p.OutH * p.OutW;
        int stride = Grid.DimX * Group.DimX;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int iw = e % p.W, rest = e / p.W;
            int ih = rest % p.H, pl = rest / p.H;
            int ohLo = PoolParams.FirstWindow(ih, p.PadH, p.KH, 1, p.StrideH);
            int ohHi = PoolParams.LastWindow(ih, p.PadH, p.StrideH, p.OutH);
            int owLo = PoolParams.FirstWindow(iw, p.PadW, p.KW, 1, p.StrideW);
            int owHi = PoolParams.LastWindow(iw, p.PadW, p.StrideW, p.OutW);
            T acc = T.Zero;
            for (int oh = ohLo; oh <= ohHi; oh++)
                for (int ow = owLo; ow <= owHi; ow++)
                    acc += gy[pl * outPlane + oh * p.OutW + ow] / divisor;
            dx[e] = acc;
        }
    }
}

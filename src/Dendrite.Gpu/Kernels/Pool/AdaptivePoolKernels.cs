using System.Numerics;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Pool;

/// <summary>
/// Adaptive 2-D average pooling over dense planes [P, h, w] → [P, outH, outW]: output row i averages input rows
/// [⌊i·h/outH⌋, ⌈(i+1)·h/outH⌉), likewise for columns (PyTorch's windows, which may overlap). One thread per
/// output (forward) or per input element (backward, gathering in output order), no barriers.
/// </summary>
internal static class AdaptivePoolKernels
{
    /// <summary>y[p, oh, ow] = (Σ of the window, row-major) / its element count.</summary>
    [GpuKernel]
    public static void Forward<T, TReal>(ArrayView<T> x, ArrayView<T> y, int planes, int h, int w, int outH, int outW)
        where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        int total = planes * outH * outW;
        int stride = Grid.DimX * Group.DimX;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int ow = e % outW, rest = e / outW;
            int oh = rest % outH, pl = rest / outH;
            int h0 = Start(oh, h, outH), h1 = End(oh, h, outH), w0 = Start(ow, w, outW), w1 = End(ow, w, outW);
            T sum = T.Zero;
            for (int ih = h0; ih < h1; ih++)
                for (int iw = w0; iw < w1; iw++)
                    sum += x[(pl * h + ih) * w + iw];
            y[e] = sum / default(TReal).FromDouble((h1 - h0) * (w1 - w0));
        }
    }

    /// <summary>dx[p, ih, iw] = Σ gy[p, oh, ow] / count(oh, ow) over the windows containing (ih, iw), in (oh, ow) order.</summary>
    [GpuKernel]
    public static void Backward<T, TReal>(ArrayView<T> gy, ArrayView<T> dx, int planes, int h, int w, int outH, int outW)
        where T : unmanaged, INumber<T> where TReal : struct, IRealOps<T>
    {
        int total = planes * h * w;
        int stride = Grid.DimX * Group.DimX;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int iw = e % w, rest = e / w;
            int ih = rest % h, pl = rest / h;
            // Windows containing ih: ⌊ih·outH/h⌋ ≤ oh ≤ ⌈(ih+1)·outH/h⌉ − 1 (each checked against its bounds).
            int ohLo = (int)((long)ih * outH / h), ohHi = (int)(((long)(ih + 1) * outH + h - 1) / h) - 1;
            int owLo = (int)((long)iw * outW / w), owHi = (int)(((long)(iw + 1) * outW + w - 1) / w) - 1;
            T acc = T.Zero;
            for (int oh = ohLo; oh <= ohHi && oh < outH; oh++)
            {
                int h0 = Start(oh, h, outH), h1 = End(oh, h, outH);
                if (ih < h0 || ih >= h1)
                    continue;
                for (int ow = owLo; ow <= owHi && ow < outW; ow++)
                {
                    int w0 = Start(ow, w, outW), w1 = End(ow, w, outW);
                    if (iw < w0 || iw >= w1)
                        continue;
                    acc += gy[(pl * outH + oh) * outW + ow] / default(TReal).FromDouble((h1 - h0) * (w1 - w0));
                }
            }
            dx[e] = acc;
        }
    }

    // Window i of n over a size: [⌊i·size/n⌋, ⌈(i+1)·size/n⌉).
    private static int Start(int i, int size, int n) => (int)((long)i * size / n);

    private static int End(int i, int size, int n) => (int)(((long)(i + 1) * size + n - 1) / n);
}

using System.Numerics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Adaptive 2-D average pooling over contiguous planes: output row i averages input rows
/// [⌊i·H/OutH⌋, ⌈(i+1)·H/OutH⌉), likewise for columns (PyTorch's windows, which may overlap).
/// </summary>
internal static class AdaptiveAvgPool2d
{
    /// <summary>
    /// Forward: big [P, H, W] → small [P, OutH, OutW] (written). Backward: the small gradient spread over the big
    /// gradient (added; <paramref name="small"/> is only read).
    /// </summary>
    public static void Run<T>(Span<T> big, Span<T> small, int planes, int h, int w, int outH, int outW, bool backward)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int p = 0; p < planes; p++)
        {
            Span<T> x = big.Slice(p * h * w, h * w);
            Span<T> y = small.Slice(p * outH * outW, outH * outW);
            for (int oh = 0; oh < outH; oh++)
            {
                int h0 = oh * h / outH, h1 = ((oh + 1) * h + outH - 1) / outH;
                for (int ow = 0; ow < outW; ow++)
                {
                    int w0 = ow * w / outW, w1 = ((ow + 1) * w + outW - 1) / outW;
                    T count = T.CreateTruncating((h1 - h0) * (w1 - w0));
                    if (backward)
                    {
                        T share = y[oh * outW + ow] / count;
                        for (int ih = h0; ih < h1; ih++)
                        {
                            Span<T> row = x.Slice(ih * w + w0, w1 - w0);
                            for (int k = 0; k < row.Length; k++)
                                row[k] += share;
                        }
                    }
                    else
                    {
                        T sum = T.Zero;
                        for (int ih = h0; ih < h1; ih++)
                            foreach (T v in x.Slice(ih * w + w0, w1 - w0))
                                sum += v;
                        y[oh * outW + ow] = sum / count;
                    }
                }
            }
        }
    }
}

using System.Numerics;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Conv;

/// <summary>
/// im2col and its adjoint for a block of images, one thread per element (grid-stride, no barriers):
/// columns [B, C·KH·KW, OutH·OutW] from images [B, C, H, W] and, for the input gradient, images from column
/// gradients by gathering (each pixel sums its own taps in a fixed order: deterministic, no atomics).
/// </summary>
internal static class Im2ColKernels
{
    /// <summary>
    /// cols[b, (c·KH + kh)·KW + kw, oh·OutW + ow] = x[b, c, oh·sH − pH + kh·dH, ow·sW − pW + kw·dW], or 0 where
    /// the tap falls in the padding, for b &lt; <paramref name="images"/>; writes are coalesced along ow.
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void Im2Col<T>(ArrayView<T> x, ArrayView<T> cols, int images, ConvParams p) where T : unmanaged, INumber<T>
    {
        int pixels = p.Pixels, rows = p.ColumnRows, taps = p.KH * p.KW, plane = p.H * p.W;
        int total = images * rows * pixels;
        int stride = Grid.DimX * Group.DimX;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int l = e % pixels, rest = e / pixels;
            int r = rest % rows, b = rest / rows;
            int c = r / taps, t = r - c * taps;
            int kh = t / p.KW, kw = t - kh * p.KW;
            int oh = l / p.OutW, ow = l - oh * p.OutW;
            int ih = oh * p.StrideH - p.PadH + kh * p.DilationH;
            int iw = ow * p.StrideW - p.PadW + kw * p.DilationW;
            cols[e] = ih >= 0 && ih < p.H && iw >= 0 && iw < p.W ? x[(b * p.C + c) * plane + ih * p.W + iw] : T.Zero;
        }
    }

    /// <summary>
    /// col2im by gathering: dx[b, c, ih, iw] = Σ_{kh, kw} dcols[b, (c·KH + kh)·KW + kw, oh·OutW + ow] over the taps
    /// whose output pixel (oh, ow) reads (ih, iw), in (kh, kw) order from zero (the order of the CPU's col2im);
    /// every element of dx is written.
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void Col2Im<T>(ArrayView<T> dcols, ArrayView<T> dx, int images, ConvParams p) where T : unmanaged, INumber<T>
    {
        int pixels = p.Pixels, rows = p.ColumnRows, plane = p.H * p.W;
        int total = images * p.C * plane;
        int stride = Grid.DimX * Group.DimX;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int iw = e % p.W, rest = e / p.W;
            int ih = rest % p.H, bc = rest / p.H;     // bc = b·C + c
            int b = bc / p.C, c = bc - b * p.C;
            int rowBase = (b * rows + c * p.KH * p.KW) * pixels;
            T acc = T.Zero;
            for (int kh = 0; kh < p.KH; kh++)
            {
                int hNum = ih + p.PadH - kh * p.DilationH;     // = oh·sH
                if (hNum < 0 || hNum % p.StrideH != 0)
                    continue;
                int oh = hNum / p.StrideH;
                if (oh >= p.OutH)
                    continue;
                for (int kw = 0; kw < p.KW; kw++)
                {
                    int wNum = iw + p.PadW - kw * p.DilationW;
                    if (wNum < 0 || wNum % p.StrideW != 0)
                        continue;
                    int ow = wNum / p.StrideW;
                    if (ow >= p.OutW)
                        continue;
                    acc += dcols[rowBase + (kh * p.KW + kw) * pixels + oh * p.OutW + ow];
                }
            }
            dx[e] = acc;
        }
    }
}

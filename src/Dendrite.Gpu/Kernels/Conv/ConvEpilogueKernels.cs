using System.Numerics;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Conv;

/// <summary>
/// What surrounds the convolution's GEMM: the bias broadcast the GEMM accumulates onto (beta = 1), and the fused
/// bias + ReLU + 2×2 max-pool that reads the GEMM's output, with the gradient expansion of its backward. All are
/// grid-stride loops over outputs (no barriers).
/// </summary>
/// <remarks>
/// Window codes of the fused pool (as the CPU's ReluMaxPool2x2): the taps a = (2i, 2j), b = (2i, 2j+1),
/// c = (2i+1, 2j), d = (2i+1, 2j+1) are scanned with the max-pool rule (replace when strictly greater or NaN); the
/// output is relu(max) (NaN stays NaN, anything not above 0 becomes +0), and the code is the offset of the first tap
/// equal to the maximum (0..3), or <see cref="NoGradient"/> when the maximum is not positive or is NaN (ReLU then
/// passes no gradient).
/// </remarks>
internal static class ConvEpilogueKernels
{
    /// <summary>The code of a window that passes no gradient.</summary>
    public const byte NoGradient = 4;

    /// <summary>y[i] = bias[(i / planeSize) % channels] for i &lt; n (y is [N, channels, planeSize]).</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void BroadcastBias<T>(ArrayView<T> bias, ArrayView<T> y, int n, int channels, int planeSize) where T : unmanaged
    {
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < n; i += stride)
            y[i] = bias[i / planeSize % channels];
    }

    /// <summary>
    /// pooled[p, i, j] = relu(max over the window (2i.., 2j..) of conv[p] + bias[p % channels]) for planes p of
    /// [h, w] (odd trailing row and column unused), and the window's code when <paramref name="withCodes"/> is 1.
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void BiasReluMaxPool<T>(ArrayView<T> conv, ArrayView<T> bias, int hasBias, ArrayView<T> pooled, ArrayView<byte> codes,
        int withCodes, int planes, int channels, int h, int w) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ph = h / 2, pw = w / 2, total = planes * ph * pw;
        int stride = Grid.DimX * Group.DimX;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int j = e % pw, rest = e / pw;
            int i = rest % ph, p = rest / ph;
            int at = (p * h + 2 * i) * w + 2 * j;
            T b = hasBias != 0 ? bias[p % channels] : T.Zero;
            // Each tap as the convolution writes it (GEMM sum, then + bias), so values equal the unfused ops'.
            T va = hasBias != 0 ? conv[at] + b : conv[at];
            T vb = hasBias != 0 ? conv[at + 1] + b : conv[at + 1];
            T vc = hasBias != 0 ? conv[at + w] + b : conv[at + w];
            T vd = hasBias != 0 ? conv[at + w + 1] + b : conv[at + w + 1];
            T m = va;
            if (vb > m || T.IsNaN(vb))
                m = vb;
            if (vc > m || T.IsNaN(vc))
                m = vc;
            if (vd > m || T.IsNaN(vd))
                m = vd;
            bool positive = m > T.Zero;
            pooled[e] = positive || T.IsNaN(m) ? m : T.Zero;
            if (withCodes != 0)
                codes[e] = !positive ? NoGradient : va == m ? (byte)0 : vb == m ? (byte)1 : vc == m ? (byte)2 : (byte)3;
        }
    }

    /// <summary>
    /// The convolution output gradient of the fused op: gConv[p, y, x] = gPooled[p, y/2, x/2] where (y, x) is the
    /// coded tap of its window, else 0 (the odd trailing row and column included); every element is written.
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void ExpandPooledGradient<T>(ArrayView<T> gPooled, ArrayView<byte> codes, ArrayView<T> gConv, int planes, int h, int w)
        where T : unmanaged, INumber<T>
    {
        int ph = h / 2, pw = w / 2, total = planes * h * w;
        int stride = Grid.DimX * Group.DimX;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int x = e % w, rest = e / w;
            int y = rest % h, p = rest / h;
            int i = y >> 1, j = x >> 1;
            T value = T.Zero;
            if (i < ph && j < pw)
            {
                int o = (p * ph + i) * pw + j;
                if (codes[o] == (byte)(((y & 1) << 1) | (x & 1)))
                    value = gPooled[o];
            }
            gConv[e] = value;
        }
    }
}

namespace Dendrite.Gpu.Kernels.Pool;

/// <summary>
/// The geometry of 2-D pooling over planes [H, W] as the kernels take it, by value: window KH×KW, stride, implicit
/// padding, dilation and the output plane OutH×OutW (floor mode).
/// </summary>
internal struct PoolParams
{
#pragma warning disable CS1591 // described in the summary
    public int H, W, KH, KW, StrideH, StrideW, PadH, PadW, DilationH, DilationW, OutH, OutW;
#pragma warning restore CS1591

    /// <summary>The parameters of <paramref name="g"/>.</summary>
    public static PoolParams From(Pool2dGeometry g) => new()
    {
        H = g.H, W = g.W, KH = g.KH, KW = g.KW, StrideH = g.StrideH, StrideW = g.StrideW,
        PadH = g.PadH, PadW = g.PadW, DilationH = g.DilationH, DilationW = g.DilationW, OutH = g.OutH, OutW = g.OutW,
    };

    /// <summary>
    /// The first output index whose window (start o·stride − pad, taps every dilation, size k) can reach input
    /// index i: ⌈(i + pad − (k − 1)·dilation) / stride⌉, at least 0.
    /// </summary>
    public static int FirstWindow(int i, int pad, int k, int dilation, int stride)
    {
        int lowest = i + pad - (k - 1) * dilation;
        return lowest <= 0 ? 0 : (lowest + stride - 1) / stride;
    }

    /// <summary>The last output index whose window can reach input index i: ⌊(i + pad) / stride⌋, at most out − 1.</summary>
    public static int LastWindow(int i, int pad, int stride, int outSize) => Math.Min(outSize - 1, (i + pad) / stride);
}

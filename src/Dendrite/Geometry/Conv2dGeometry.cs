namespace Dendrite;

/// <summary>
/// The geometry of a 2-D convolution over one <c>[C, H, W]</c> image: kernel, stride, padding, dilation and
/// the derived output size. Validated on construction, so a non-default instance always describes a kernel
/// that fits its (padded) input.
/// </summary>
/// <remarks>
/// <c>OutH = floor((H + 2·PadH − DilationH·(KH−1) − 1) / StrideH) + 1</c>, likewise for the width.
/// The im2col column matrix is <c>[C·KH·KW, OutH·OutW]</c>: one row per (channel, kernel tap), one column
/// per output pixel, so a convolution is <c>out[O, OutH·OutW] = W[O, C·KH·KW] · columns</c>.
/// </remarks>
public readonly record struct Conv2dGeometry
{
    /// <summary>Creates and validates a convolution geometry.</summary>
    /// <param name="c">Input channels (of one group, when the caller runs groups separately).</param>
    /// <param name="h">Input height.</param>
    /// <param name="w">Input width.</param>
    /// <param name="kh">Kernel height.</param>
    /// <param name="kw">Kernel width.</param>
    /// <param name="strideH">Vertical stride.</param>
    /// <param name="strideW">Horizontal stride.</param>
    /// <param name="padH">Zero padding above and below.</param>
    /// <param name="padW">Zero padding left and right.</param>
    /// <param name="dilationH">Vertical spacing between kernel taps.</param>
    /// <param name="dilationW">Horizontal spacing between kernel taps.</param>
    /// <exception cref="ArgumentException">A size is out of range or the kernel does not fit.</exception>
    public Conv2dGeometry(int c, int h, int w, int kh, int kw, int strideH = 1, int strideW = 1,
        int padH = 0, int padW = 0, int dilationH = 1, int dilationW = 1)
    {
        ConvGeometry.CheckPositive("Conv2d", "channel count", c);
        (OutH, OutW) = ConvGeometry.Validate2d("Conv2d", h, w, kh, kw, strideH, strideW, padH, padW, dilationH, dilationW);
        if ((long)c * kh * kw * OutH * OutW > int.MaxValue || (long)c * h * w > int.MaxValue)
            throw new ArgumentException(
                $"Conv2d: image {c}x{h}x{w} with kernel {kh}x{kw} needs more than {int.MaxValue} column elements.");
        C = c; H = h; W = w; KH = kh; KW = kw;
        StrideH = strideH; StrideW = strideW; PadH = padH; PadW = padW; DilationH = dilationH; DilationW = dilationW;
    }

    /// <summary>Input channels.</summary>
    public int C { get; }
    /// <summary>Input height.</summary>
    public int H { get; }
    /// <summary>Input width.</summary>
    public int W { get; }
    /// <summary>Kernel height.</summary>
    public int KH { get; }
    /// <summary>Kernel width.</summary>
    public int KW { get; }
    /// <summary>Vertical stride.</summary>
    public int StrideH { get; }
    /// <summary>Horizontal stride.</summary>
    public int StrideW { get; }
    /// <summary>Zero padding above and below.</summary>
    public int PadH { get; }
    /// <summary>Zero padding left and right.</summary>
    public int PadW { get; }
    /// <summary>Vertical spacing between kernel taps.</summary>
    public int DilationH { get; }
    /// <summary>Horizontal spacing between kernel taps.</summary>
    public int DilationW { get; }
    /// <summary>Output height.</summary>
    public int OutH { get; }
    /// <summary>Output width.</summary>
    public int OutW { get; }

    /// <summary>Elements of one input image, <c>C·H·W</c>.</summary>
    public int ImageSize => C * H * W;

    /// <summary>Rows of the column matrix, <c>C·KH·KW</c> (the GEMM reduction length).</summary>
    public int ColumnRows => C * KH * KW;

    /// <summary>Columns of the column matrix, <c>OutH·OutW</c> (output pixels per image).</summary>
    public int ColumnCols => OutH * OutW;

    /// <summary>True for a 1×1 kernel with stride 1 and no padding, where the column matrix is the image itself.</summary>
    public bool IsPointwise => KH == 1 && KW == 1 && StrideH == 1 && StrideW == 1 && PadH == 0 && PadW == 0;

    /// <summary>Throws for <c>default(Conv2dGeometry)</c>, which skipped validation.</summary>
    internal void EnsureInitialized(string op)
    {
        if (OutH < 1)
            throw new ArgumentException($"{op}: the geometry is uninitialized (default); construct it with its constructor.");
    }
}

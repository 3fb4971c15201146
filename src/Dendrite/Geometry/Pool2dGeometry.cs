namespace Dendrite;

/// <summary>
/// The geometry of 2-D pooling over <c>[H, W]</c> planes: window, stride, implicit padding, dilation and the
/// derived output size (floor mode). Validated on construction, including PyTorch's rule that padding is
/// at most half the window.
/// </summary>
/// <remarks>
/// <c>OutH = floor((H + 2·PadH − DilationH·(KH−1) − 1) / StrideH) + 1</c>, likewise for the width.
/// Max pooling treats padding as −∞, average pooling as zeros.
/// </remarks>
public readonly record struct Pool2dGeometry
{
    /// <summary>Creates and validates a pooling geometry.</summary>
    /// <param name="h">Input height.</param>
    /// <param name="w">Input width.</param>
    /// <param name="kh">Window height.</param>
    /// <param name="kw">Window width.</param>
    /// <param name="strideH">Vertical stride (PyTorch's default is the window height).</param>
    /// <param name="strideW">Horizontal stride (PyTorch's default is the window width).</param>
    /// <param name="padH">Implicit padding above and below, at most <c>kh / 2</c>.</param>
    /// <param name="padW">Implicit padding left and right, at most <c>kw / 2</c>.</param>
    /// <param name="dilationH">Vertical spacing between window taps.</param>
    /// <param name="dilationW">Horizontal spacing between window taps.</param>
    /// <param name="op">Operation name used in error messages (e.g. "MaxPool2d"); not stored.</param>
    /// <exception cref="ArgumentException">A size is out of range, the padding is too large or the window does not fit.</exception>
    public Pool2dGeometry(int h, int w, int kh, int kw, int strideH, int strideW,
        int padH = 0, int padW = 0, int dilationH = 1, int dilationW = 1, string op = "Pool2d")
    {
        (OutH, OutW) = ConvGeometry.Validate2d(op, h, w, kh, kw, strideH, strideW, padH, padW, dilationH, dilationW);
        if (padH > kh / 2 || padW > kw / 2)
            throw new ArgumentException(
                $"{op}: padding {ConvGeometry.Pair(padH, padW)} must be at most half the kernel size {kh}x{kw} (pad <= kernel/2).");
        if ((long)h * w > int.MaxValue)
            throw new ArgumentException($"{op}: plane {h}x{w} has more than {int.MaxValue} elements.");
        H = h; W = w; KH = kh; KW = kw;
        StrideH = strideH; StrideW = strideW; PadH = padH; PadW = padW; DilationH = dilationH; DilationW = dilationW;
    }

    /// <summary>Input height.</summary>
    public int H { get; }
    /// <summary>Input width.</summary>
    public int W { get; }
    /// <summary>Window height.</summary>
    public int KH { get; }
    /// <summary>Window width.</summary>
    public int KW { get; }
    /// <summary>Vertical stride.</summary>
    public int StrideH { get; }
    /// <summary>Horizontal stride.</summary>
    public int StrideW { get; }
    /// <summary>Implicit padding above and below.</summary>
    public int PadH { get; }
    /// <summary>Implicit padding left and right.</summary>
    public int PadW { get; }
    /// <summary>Vertical spacing between window taps.</summary>
    public int DilationH { get; }
    /// <summary>Horizontal spacing between window taps.</summary>
    public int DilationW { get; }
    /// <summary>Output height.</summary>
    public int OutH { get; }
    /// <summary>Output width.</summary>
    public int OutW { get; }

    /// <summary>Elements of one input plane, <c>H·W</c>.</summary>
    public int InputPlaneSize => H * W;

    /// <summary>Elements of one output plane, <c>OutH·OutW</c>.</summary>
    public int OutputPlaneSize => OutH * OutW;

    /// <summary>True for the common 2×2 window, stride 2, no padding, no dilation (the fast path).</summary>
    public bool IsTwoByTwo => KH == 2 && KW == 2 && StrideH == 2 && StrideW == 2 && PadH == 0 && PadW == 0
        && DilationH == 1 && DilationW == 1;

    /// <summary>Throws for <c>default(Pool2dGeometry)</c>, which skipped validation.</summary>
    internal void EnsureInitialized(string op)
    {
        if (OutH < 1)
            throw new ArgumentException($"{op}: the geometry is uninitialized (default); construct it with its constructor.");
    }
}

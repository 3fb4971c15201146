namespace Dendrite.Gpu.Kernels.Conv;

/// <summary>
/// The geometry of a (grouped) 2-D convolution as the kernels take it, by value: input images [C, H, W] with C the
/// channels of all groups, kernel KH×KW, stride, padding, dilation and the output plane OutH×OutW. The column
/// matrix of one image is [C·KH·KW, OutH·OutW]: row r = (c·KH + kh)·KW + kw, so group gi's rows are the contiguous
/// block [gi·Kg, (gi + 1)·Kg) with Kg = (C/groups)·KH·KW.
/// </summary>
internal struct ConvParams
{
#pragma warning disable CS1591 // described in the summary
    public int C, H, W, KH, KW, StrideH, StrideW, PadH, PadW, DilationH, DilationW, OutH, OutW;
#pragma warning restore CS1591

    /// <summary>The parameters of <paramref name="g"/> (one group's geometry) for <paramref name="groups"/> groups.</summary>
    public static ConvParams From(Conv2dGeometry g, int groups) => new()
    {
        C = g.C * groups, H = g.H, W = g.W, KH = g.KH, KW = g.KW, StrideH = g.StrideH, StrideW = g.StrideW,
        PadH = g.PadH, PadW = g.PadW, DilationH = g.DilationH, DilationW = g.DilationW, OutH = g.OutH, OutW = g.OutW,
    };

    /// <summary>Rows of one image's column matrix over all groups, C·KH·KW.</summary>
    public readonly int ColumnRows => C * KH * KW;

    /// <summary>Output pixels per plane (columns of the column matrix), OutH·OutW.</summary>
    public readonly int Pixels => OutH * OutW;

    /// <summary>Elements of one input image, C·H·W.</summary>
    public readonly int ImageSize => C * H * W;

    /// <summary>A 1×1 kernel with stride 1 and no padding: the column matrix of an image is the image, [C, H·W].</summary>
    public readonly bool IsPointwise => KH == 1 && KW == 1 && StrideH == 1 && StrideW == 1 && PadH == 0 && PadW == 0;
}

using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// im2col and its adjoint col2im: unfold a <c>[C, H, W]</c> image into the <c>[C·KH·KW, OutH·OutW]</c>
/// column matrix so that a convolution becomes one GEMM, <c>out[O, OutH·OutW] = W[O, C·KH·KW] · columns</c>,
/// and fold column gradients back into an image gradient.
/// </summary>
/// <remarks>
/// Row <c>r = (c·KH + kh)·KW + kw</c> of the column matrix holds, for every output pixel (oh, ow), the input
/// tap <c>image[c, oh·StrideH − PadH + kh·DilationH, ow·StrideW − PadW + kw·DilationW]</c>, or zero where
/// that tap falls in the padding. For a fixed (kh, kw) the valid output rows/columns form a contiguous
/// range, so each row is written as a zero head, a dense middle (a plain copy when StrideW is 1) and a
/// zero tail, with no per-element bounds test.
/// </remarks>
public static class Im2Col
{
    /// <summary>
    /// im2col: <c>image [C, H, W] → columns [C·KH·KW, OutH·OutW]</c> (dense). Every element of
    /// <paramref name="columns"/> is overwritten.
    /// </summary>
    /// <param name="image">One input image, <c>C·H·W</c> elements.</param>
    /// <param name="g">The convolution geometry.</param>
    /// <param name="columns">Destination, exactly <c>C·KH·KW · OutH·OutW</c> elements.</param>
    public static void Forward<T>(ReadOnlySpan<T> image, in Conv2dGeometry g, Span<T> columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        g.EnsureInitialized("Im2Col.Forward");
        ConvGeometry.CheckLength("Im2Col.Forward", "columns", columns.Length, (long)g.ColumnRows * g.ColumnCols);
        Forward(image, g, columns, g.ColumnCols);
    }

    /// <summary>
    /// im2col into a column matrix with leading dimension <paramref name="ldColumns"/> (elements between the
    /// starts of consecutive rows), e.g. to place N images side by side in one <c>[C·KH·KW, N·OutH·OutW]</c>
    /// matrix: call with <c>columns[n·OutH·OutW ..]</c> and <c>ldColumns = N·OutH·OutW</c>. Only the
    /// <c>OutH·OutW</c> elements of each row that belong to this image are written.
    /// </summary>
    /// <param name="image">One input image, <c>C·H·W</c> elements.</param>
    /// <param name="g">The convolution geometry.</param>
    /// <param name="columns">Destination; at least <c>(C·KH·KW − 1)·ldColumns + OutH·OutW</c> elements.</param>
    /// <param name="ldColumns">Row stride of <paramref name="columns"/>, at least <c>OutH·OutW</c>.</param>
    public static void Forward<T>(ReadOnlySpan<T> image, in Conv2dGeometry g, Span<T> columns, int ldColumns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckArgs("Im2Col.Forward", image.Length, g, columns.Length, ldColumns);
        int c = g.C, h = g.H, w = g.W, outH = g.OutH, outW = g.OutW, plane = h * w, len = outH * outW;

        if (g.IsPointwise)
        {
            // 1×1, stride 1, no padding: the column matrix is the image, [C, H·W].
            if (ldColumns == len)
                image.CopyTo(columns);
            else
                for (int ci = 0; ci < c; ci++)
                    image.Slice(ci * plane, plane).CopyTo(columns.Slice(ci * ldColumns, plane));
            return;
        }

        int row = 0;
        for (int ci = 0; ci < c; ci++)
        {
            ReadOnlySpan<T> img = image.Slice(ci * plane, plane);
            for (int kh = 0; kh < g.KH; kh++)
            {
                int offH = kh * g.DilationH - g.PadH;   // ih = oh·StrideH + offH
                ConvGeometry.ValidRange(offH, g.StrideH, h, outH, out int ohLo, out int ohHi);
                for (int kw = 0; kw < g.KW; kw++, row++)
                {
                    int offW = kw * g.DilationW - g.PadW; // iw = ow·StrideW + offW
                    ConvGeometry.ValidRange(offW, g.StrideW, w, outW, out int owLo, out int owHi);
                    Span<T> dst = columns.Slice(row * ldColumns, len);
                    if (owLo == owHi)
                    {
                        dst.Clear(); // this tap lies in the padding for every output column
                        continue;
                    }
                    // Output rows whose tap row is padding form a contiguous head and tail: clear in bulk.
                    dst[..(ohLo * outW)].Clear();
                    dst[(ohHi * outW)..].Clear();
                    int count = owHi - owLo;
                    for (int oh = ohLo; oh < ohHi; oh++)
                    {
                        Span<T> d = dst.Slice(oh * outW, outW);
                        ReadOnlySpan<T> s = img.Slice((oh * g.StrideH + offH) * w, w);
                        d[..owLo].Clear();
                        d[owHi..].Clear();
                        if (g.StrideW == 1)
                            s.Slice(owLo + offW, count).CopyTo(d.Slice(owLo, count));
                        else
                            StridedRow.Gather(s, owLo * g.StrideW + offW, g.StrideW, d.Slice(owLo, count));
                    }
                }
            }
        }
    }

    /// <summary>
    /// col2im, the adjoint of <see cref="Forward{T}(ReadOnlySpan{T}, in Conv2dGeometry, Span{T})"/>:
    /// <c>columns [C·KH·KW, OutH·OutW] → imageGrad [C, H, W]</c>. It <b>adds</b> into
    /// <paramref name="imageGrad"/> (a pixel covered by several windows receives the sum of their
    /// gradients); pass a zeroed buffer to get the gradient alone. Padding taps are dropped.
    /// </summary>
    /// <param name="columns">Column-matrix gradient, exactly <c>C·KH·KW · OutH·OutW</c> elements.</param>
    /// <param name="g">The convolution geometry.</param>
    /// <param name="imageGrad">Image gradient accumulated into, <c>C·H·W</c> elements.</param>
    public static void Backward<T>(ReadOnlySpan<T> columns, in Conv2dGeometry g, Span<T> imageGrad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        g.EnsureInitialized("Im2Col.Backward");
        ConvGeometry.CheckLength("Im2Col.Backward", "columns", columns.Length, (long)g.ColumnRows * g.ColumnCols);
        Backward(columns, g, imageGrad, g.ColumnCols);
    }

    /// <summary>
    /// col2im from a column matrix with leading dimension <paramref name="ldColumns"/> (see the matching
    /// <c>Forward</c> overload). <b>Adds</b> into <paramref name="imageGrad"/>.
    /// </summary>
    /// <param name="columns">Column-matrix gradient; at least <c>(C·KH·KW − 1)·ldColumns + OutH·OutW</c> elements.</param>
    /// <param name="g">The convolution geometry.</param>
    /// <param name="imageGrad">Image gradient accumulated into, <c>C·H·W</c> elements.</param>
    /// <param name="ldColumns">Row stride of <paramref name="columns"/>, at least <c>OutH·OutW</c>.</param>
    public static void Backward<T>(ReadOnlySpan<T> columns, in Conv2dGeometry g, Span<T> imageGrad, int ldColumns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckArgs("Im2Col.Backward", imageGrad.Length, g, columns.Length, ldColumns);
        int c = g.C, h = g.H, w = g.W, outH = g.OutH, outW = g.OutW, plane = h * w, len = outH * outW;

        if (g.IsPointwise)
        {
            if (ldColumns == len)
                TensorPrimitives.Add(imageGrad, columns[..imageGrad.Length], imageGrad);
            else
                for (int ci = 0; ci < c; ci++)
                {
                    Span<T> img = imageGrad.Slice(ci * plane, plane);
                    TensorPrimitives.Add(img, columns.Slice(ci * ldColumns, plane), img);
                }
            return;
        }

        int row = 0;
        for (int ci = 0; ci < c; ci++)
        {
            Span<T> img = imageGrad.Slice(ci * plane, plane);
            for (int kh = 0; kh < g.KH; kh++)
            {
                int offH = kh * g.DilationH - g.PadH;
                ConvGeometry.ValidRange(offH, g.StrideH, h, outH, out int ohLo, out int ohHi);
                for (int kw = 0; kw < g.KW; kw++, row++)
                {
                    int offW = kw * g.DilationW - g.PadW;
                    ConvGeometry.ValidRange(offW, g.StrideW, w, outW, out int owLo, out int owHi);
                    int count = owHi - owLo;
                    if (count == 0)
                        continue;
                    ReadOnlySpan<T> src = columns.Slice(row * ldColumns, len);
                    for (int oh = ohLo; oh < ohHi; oh++)
                    {
                        ReadOnlySpan<T> s = src.Slice(oh * outW + owLo, count);
                        Span<T> d = img.Slice((oh * g.StrideH + offH) * w, w);
                        if (g.StrideW == 1)
                        {
                            Span<T> dd = d.Slice(owLo + offW, count);
                            AddInPlace(dd, s);
                        }
                        else
                            StridedRow.ScatterAdd(s, d, owLo * g.StrideW + offW, g.StrideW);
                    }
                }
            }
        }
    }

    private static void CheckArgs(string op, int imageLength, in Conv2dGeometry g, int columnsLength, int ldColumns)
    {
        g.EnsureInitialized(op);
        ConvGeometry.CheckLength(op, "image", imageLength, g.ImageSize);
        int len = g.ColumnCols;
        if (ldColumns < len)
            throw new ArgumentException($"{op}: ldColumns {ldColumns} is smaller than the row length OutH*OutW = {len}.");
        long need = (long)(g.ColumnRows - 1) * ldColumns + len;
        if (columnsLength < need)
            throw new ArgumentException($"{op}: columns has {columnsLength} elements, needs at least {need}.");
    }

    // d += s for the short rows of col2im (a handful to a few hundred elements): vectorised by
    // TensorPrimitives when long enough to amortise its dispatch, a plain loop otherwise.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddInPlace<T>(Span<T> d, ReadOnlySpan<T> s)
        where T : IFloatingPointIeee754<T>
    {
        if (d.Length >= 16)
        {
            TensorPrimitives.Add(d, s, d);
            return;
        }
        ref T src = ref MemoryMarshal.GetReference(s);
        ref T dst = ref MemoryMarshal.GetReference(d);
        for (int i = 0; i < d.Length; i++)
            Unsafe.Add(ref dst, i) += Unsafe.Add(ref src, i);
    }
}

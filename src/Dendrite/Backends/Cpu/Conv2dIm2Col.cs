using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// The general CPU convolution (any dtype, stride, padding, dilation and groups): im2col + GEMM over blocks of images,
/// per group. Backward: dx by GEMM + col2im, dW accumulated over the batch by GEMM against recomputed columns, db by
/// summing the output gradient. Operands are dense views: x [N, C, H, W], w [O, C/groups, KH, KW], y [N, O, OutH, OutW].
/// </summary>
internal static class Conv2dIm2Col
{
    // Images per GEMM: a block of B images shares one GEMM over B·L columns (the im2col matrices side by side), which
    // amortises packing and lengthens the GEMM's short dimension; the block's column buffer stays near 1 MiB.
    private const int BlockElements = 1 << 18;

    private static int BlockImages(int k, int l, int count) => Math.Clamp(BlockElements / Math.Max(1, k * l), 1, Math.Max(1, count));

    /// <summary>
    /// y[n, gi·Og .., L] = W_gi [Og, K] · columns(x[n, gi·Cg ..]) [K, L] + bias, for blocks of images at a time:
    /// tmp [Og, B·L] = W_gi · cols [K, B·L], then each image's [Og, L] slice is copied out with the bias added.
    /// </summary>
    public static void Forward<T>(StorageView xt, StorageView wt, StorageView? bt, StorageView yt, Conv2dGeometry g, int groups)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = xt.Array<T>(), w = wt.Array<T>(), y = yt.Array<T>();
        T[]? b = bt?.Array<T>();
        int xOff = xt.Offset, wOff = wt.Offset, bOff = bt?.Offset ?? 0, yOff = yt.Offset;
        int n = xt.Shape[0], o = wt.Shape[0], og = o / groups;
        int k = g.ColumnRows, l = g.ColumnCols, grpImg = g.ImageSize, img = grpImg * groups;
        int chunks = NNKernels.Chunks(n, (long)n * o * k * l);
        NNKernels.For(chunks, t =>
        {
            var (lo, hi) = NNKernels.Range(n, chunks, t);
            int nb = BlockImages(k, l, hi - lo);
            T[] cols = ArrayPool<T>.Shared.Rent(k * nb * l);
            T[] tmp = ArrayPool<T>.Shared.Rent(og * nb * l);
            try
            {
                for (int i0 = lo; i0 < hi; i0 += nb)
                {
                    int cnt = Math.Min(nb, hi - i0), ld = cnt * l;
                    for (int gi = 0; gi < groups; gi++)
                    {
                        for (int j = 0; j < cnt; j++)
                            Im2Col.Forward<T>(x.AsSpan(xOff + (i0 + j) * img + gi * grpImg, grpImg), g, cols.AsSpan(j * l), ld);
                        NNKernels.Gemm(false, false, og, ld, k, w.AsSpan(wOff + gi * og * k, og * k), k, cols.AsSpan(0, k * ld), ld,
                            T.Zero, tmp.AsSpan(0, og * ld), ld);
                        for (int j = 0; j < cnt; j++)
                            for (int oc = 0; oc < og; oc++)
                            {
                                ReadOnlySpan<T> src = tmp.AsSpan(oc * ld + j * l, l);
                                Span<T> dst = y.AsSpan(yOff + ((i0 + j) * o + gi * og + oc) * l, l);
                                if (b is null)
                                    src.CopyTo(dst);
                                else
                                    TensorPrimitives.Add(src, b[bOff + gi * og + oc], dst);
                            }
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(cols);
                ArrayPool<T>.Shared.Return(tmp);
            }
        });
    }

    /// <summary>
    /// dx (zeroed here, then folded into by col2im), dw (chunk 0 accumulates into it, the other chunks into pooled
    /// partials summed at the end) and db (overwritten) from gy [N, O, OutH, OutW]; each null when not needed.
    /// </summary>
    public static void Backward<T>(StorageView xt, StorageView wt, StorageView gt, Conv2dGeometry geo, int groups,
        StorageView? dxt, StorageView? dwt, StorageView? dbt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = xt.Array<T>(), w = wt.Array<T>(), gy = gt.Array<T>();
        int xOff = xt.Offset, wOff = wt.Offset, gOff = gt.Offset;
        int n = xt.Shape[0], o = wt.Shape[0], og = o / groups;
        int k = geo.ColumnRows, l = geo.ColumnCols, grpImg = geo.ImageSize, img = grpImg * groups, wSize = o * k;
        if (dbt is { } db)
            ConvBias.BiasGrad<T>(gy.AsSpan(gOff, n * o * l), db.Span<T>(), n, o, l);
        if (dxt is null && dwt is null)
            return;
        // col2im adds into dx, and dW is accumulated: both start from zero.
        T[]? dx = null, dw = null;
        int dxOff = 0, dwOff = 0;
        if (dxt is { } dxv)
        {
            dxv.Span<T>().Clear();
            (dx, dxOff) = (dxv.Array<T>(), dxv.Offset);
        }
        if (dwt is { } dwv)
        {
            dwv.Span<T>().Clear();
            (dw, dwOff) = (dwv.Array<T>(), dwv.Offset);
        }
        int chunks = NNKernels.Chunks(n, 2L * n * o * k * l);
        // Chunk 0 accumulates dW straight into the result; the others into pooled partials summed at the end.
        var partials = new T[]?[chunks];
        NNKernels.For(chunks, t =>
        {
            var (lo, hi) = NNKernels.Range(n, chunks, t);
            int nb = BlockImages(k, l, hi - lo);
            T[] gBlock = ArrayPool<T>.Shared.Rent(og * nb * l);
            T[]? cols = dw is not null ? ArrayPool<T>.Shared.Rent(k * nb * l) : null;
            T[]? dcols = dx is not null ? ArrayPool<T>.Shared.Rent(k * nb * l) : null;
            T[]? dwAcc = dw is null ? null : t == 0 ? dw : ArrayPool<T>.Shared.Rent(wSize);
            int accOff = t == 0 ? dwOff : 0;
            partials[t] = t == 0 ? null : dwAcc;
            try
            {
                for (int i0 = lo; i0 < hi; i0 += nb)
                {
                    int cnt = Math.Min(nb, hi - i0), ld = cnt * l;
                    for (int gi = 0; gi < groups; gi++)
                    {
                        // gBlock [Og, B·L]: the block's output gradients side by side, matching the column layout.
                        for (int j = 0; j < cnt; j++)
                            for (int oc = 0; oc < og; oc++)
                                gy.AsSpan(gOff + ((i0 + j) * o + gi * og + oc) * l, l).CopyTo(gBlock.AsSpan(oc * ld + j * l, l));
                        ReadOnlySpan<T> gOut = gBlock.AsSpan(0, og * ld);
                        ReadOnlySpan<T> wg = w.AsSpan(wOff + gi * og * k, og * k);   // [Og, K]
                        if (dcols is not null)
                        {
                            // dcols [K, B·L] = W_gᵀ [K, Og] · gBlock [Og, B·L]; col2im folds each image's slice into dx.
                            NNKernels.Gemm(true, false, k, ld, og, wg, k, gOut, ld, T.Zero, dcols.AsSpan(0, k * ld), ld);
                            for (int j = 0; j < cnt; j++)
                                Im2Col.Backward<T>(dcols.AsSpan(j * l), geo, dx.AsSpan(dxOff + (i0 + j) * img + gi * grpImg, grpImg), ld);
                        }
                        if (cols is not null)
                        {
                            // dW_g [Og, K] (+)= gBlock [Og, B·L] · colsᵀ [B·L, K]
                            for (int j = 0; j < cnt; j++)
                                Im2Col.Forward<T>(x.AsSpan(xOff + (i0 + j) * img + gi * grpImg, grpImg), geo, cols.AsSpan(j * l), ld);
                            NNKernels.Gemm(false, true, og, k, ld, gOut, ld, cols.AsSpan(0, k * ld), ld, i0 == lo ? T.Zero : T.One,
                                dwAcc.AsSpan(accOff + gi * og * k, og * k), k);
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(gBlock);
                if (cols is not null)
                    ArrayPool<T>.Shared.Return(cols);
                if (dcols is not null)
                    ArrayPool<T>.Shared.Return(dcols);
            }
        });
        if (dw is not null)
            for (int t = 1; t < chunks; t++)
            {
                var p = partials[t]!;
                TensorPrimitives.Add(dw.AsSpan(dwOff, wSize), p.AsSpan(0, wSize), dw.AsSpan(dwOff, wSize));
                ArrayPool<T>.Shared.Return(p);
            }
    }
}

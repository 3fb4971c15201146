using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// The float32 small-image path of the CPU convolution (<see cref="CpuBackend.Conv2d"/>): direct convolution kernels
/// (<see cref="DirectConv2d"/>, <see cref="DirectConv2dWeightGrad"/>) run over the batch, split into per-thread chunks
/// of images. Operands are dense float32 views.
/// </summary>
/// <remarks>
/// Where <see cref="ChannelConv2d.Applies"/> (9 to 16 output channels, 5×5 kernels) the forward pass and weight gradient
/// keep the output channels in the vector (<see cref="ChannelConv2d"/>, <see cref="ChannelConv2dWeightGrad"/>,
/// <see cref="ChannelReluMaxPool2x2"/>) and the input gradient is scattered tap by tap (<see cref="DirectConv2dInputGrad"/>);
/// other shapes use the wide layout of <see cref="DirectConv2d"/> throughout.
/// </remarks>
internal static class Conv2dDirect
{
    /// <summary>y [N, O, OutH, OutW] = conv(x [N, C, H, W], w [O, C, KH, KW]) + bias, all dense float32.</summary>
    public static void Forward(StorageView xt, StorageView wt, StorageView? bt, StorageView yt, Conv2dGeometry g) =>
        Forward(xt, wt, bt, yt, g, null, null);

    /// <summary>
    /// pooled [N, O, OutH/2, OutW/2] = maxpool2x2(relu(conv(x, w) + bias)) (see <see cref="ReluMaxPool2x2"/>), with the
    /// windows' gradient codes in <paramref name="codes"/> when it is not null; the convolution output is never stored.
    /// </summary>
    public static void ForwardReluPool(StorageView xt, StorageView wt, StorageView? bt, StorageView pooled, byte[]? codes,
        Conv2dGeometry g) =>
        Forward(xt, wt, bt, null, g, pooled, codes);

    private static void Forward(StorageView xt, StorageView wt, StorageView? bt, StorageView? yt, Conv2dGeometry g, StorageView? pooledT,
        byte[]? codes)
    {
        float[] x = xt.Array<float>();
        float[]? y = yt?.Array<float>(), pooled = pooledT?.Array<float>();
        int xOff = xt.Offset, yOff = yt?.Offset ?? 0, pOff = pooledT?.Offset ?? 0;
        int n = xt.Shape[0], o = wt.Shape[0], c = g.C, taps = g.ColumnRows, opad = (o + 1) & ~1;
        int poolL = o * (g.OutH / 2) * (g.OutW / 2);
        int ph = g.PadH, pw = g.PadW, wp = g.W + 2 * pw, plane = (g.H + 2 * ph) * wp;
        int img = g.ImageSize, outL = o * g.OutH * g.OutW;
        // Output channels in the vector (ChannelConv2d) where that layout applies, else the wide layout.
        bool channels = ChannelConv2d.Applies(g, o);
        var off = new int[taps];
        DirectConv2d.TapOffsets(c, g.KH, g.KW, wp, plane, off);
        var wT = new float[channels ? taps * ChannelConv2d.Lanes : taps * opad];
        if (channels)
            ChannelConv2d.PackWeights(wt.Span<float>(), o, taps, wT);
        else
            DirectConv2d.TransposeWeights(wt.Span<float>(), o, taps, opad, wT);
        var bias = new float[Math.Max(opad, ChannelConv2d.Lanes)];
        if (bt is { } bv)
            bv.Span<float>().CopyTo(bias);
        var bias16 = Vector512.Create<float>(bias.AsSpan(0, ChannelConv2d.Lanes));
        // Without padding the channel kernel reads the images in place.
        bool inPlace = channels && ph == 0 && pw == 0;
        // The fused pooling reads whole 32-float rows of the wide output: slack past the last row.
        int xpLen = DirectConv2d.PaddedLength(c, g.H, g.W, ph, pw, g.KW);
        int ywLen = channels ? g.OutH * g.OutW * ChannelConv2d.Lanes : opad * g.OutH * wp + ReluMaxPool2x2.ReadSlack;
        int chunks = BalancedChunks(n, (long)n * o * taps * g.OutH * g.OutW);
        NNKernels.For(chunks, t =>
        {
            var (lo, hi) = NNKernels.Range(n, chunks, t);
            float[] xp = ArrayPool<float>.Shared.Rent(xpLen);
            float[] yw = ArrayPool<float>.Shared.Rent(ywLen);
            try
            {
                Array.Clear(xp, 0, xpLen);
                for (int i = lo; i < hi; i++)
                {
                    if (channels)
                    {
                        ReadOnlySpan<float> xi = inPlace ? x.AsSpan(xOff + i * img, img) : xp.AsSpan(0, xpLen);
                        if (!inPlace)
                            DirectConv2d.CopyInterior(x.AsSpan(xOff + i * img, img), c, g.H, g.W, ph, pw, xp);
                        ChannelConv2d.ConvImage(xi, c, g.KH, g.KW, wp, plane, g.OutH, g.OutW, wT, bias16, yw.AsSpan(0, ywLen));
                        if (y is not null)
                            ChannelConv2d.ToPlanes(yw.AsSpan(0, ywLen), o, g.OutH * g.OutW, y.AsSpan(yOff + i * outL, outL));
                        else
                            ChannelReluMaxPool2x2.Forward(yw.AsSpan(0, ywLen), o, g.OutH, g.OutW, pooled.AsSpan(pOff + i * poolL, poolL),
                                codes is null ? default : codes.AsSpan(i * poolL, poolL));
                        continue;
                    }
                    DirectConv2d.CopyInterior(x.AsSpan(xOff + i * img, img), c, g.H, g.W, ph, pw, xp);
                    if (y is not null)
                        DirectConv2d.ConvImage(xp.AsSpan(0, xpLen), off, wT, opad, o, wp, g.OutH, g.OutW, bias,
                            yw.AsSpan(0, ywLen), y.AsSpan(yOff + i * outL, outL));
                    else
                    {
                        DirectConv2d.ConvImageWide(xp.AsSpan(0, xpLen), off, wT, opad, wp, g.OutH, bias, yw.AsSpan(0, ywLen));
                        ReluMaxPool2x2.Forward(yw.AsSpan(0, ywLen), o, g.OutH, g.OutW, wp, g.OutH * wp,
                            pooled.AsSpan(pOff + i * poolL, poolL), codes is null ? default : codes.AsSpan(i * poolL, poolL));
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(xp);
                ArrayPool<float>.Shared.Return(yw);
            }
        });
    }

    // Several chunks per thread, claimed dynamically: a thread that starts late (woken from sleep, or sharing its core
    // with another process) then takes fewer images instead of holding up the whole batch. Each chunk costs one small
    // weight-gradient partial in the backward pass.
    private const int ChunksPerThread = 4;

    private static int BalancedChunks(int images, long work)
    {
        int chunks = NNKernels.Chunks(images, work);
        return chunks <= 1 ? chunks : Math.Min(images, chunks * ChunksPerThread);
    }

    /// <summary>
    /// dx [N, C, H, W], dw [O, C, KH, KW] and db [O] (all overwritten) from the output gradient gy [N, O, OutH, OutW];
    /// any may be null when not needed, and db is computed only together with dw.
    /// </summary>
    public static void Backward(StorageView xt, StorageView wt, StorageView gt, StorageView? dxt, StorageView? dwt, StorageView? dbt,
        Conv2dGeometry g) =>
        Backward(xt, wt, gt, null, dxt, dwt, dbt, g);

    /// <summary>
    /// As <see cref="Backward(StorageView, StorageView, StorageView, StorageView?, StorageView?, StorageView?, Conv2dGeometry)"/>
    /// for the fused convolution + ReLU + 2×2 max-pool: the output gradient of each image is rebuilt from the pooled gradient
    /// gp [N, O, OutH/2, OutW/2] and the windows' codes (<see cref="ReluMaxPool2x2.Backward"/>) as it is needed.
    /// </summary>
    public static void BackwardReluPool(StorageView xt, StorageView wt, StorageView gp, byte[] codes, StorageView? dxt, StorageView? dwt,
        StorageView? dbt, Conv2dGeometry g) => Backward(xt, wt, gp, codes, dxt, dwt, dbt, g);

    // bsum[oc] += the sum of wide plane oc (its dropped columns are zeros); the wide weight-gradient path sums the bias
    // gradient here whether the plane came from the pooled gradient or from a dense one, so the two agree bit for bit.
    private static void SumWidePlanes(ReadOnlySpan<float> gw, int o, int ldg, float[]? bsum)
    {
        if (bsum is null)
            return;
        for (int oc = 0; oc < o; oc++)
            bsum[oc] += TensorPrimitives.Sum(gw.Slice(oc * ldg, ldg));
    }

    private static void Backward(StorageView xt, StorageView wt, StorageView gt, byte[]? codes, StorageView? dxt, StorageView? dwt,
        StorageView? dbt, Conv2dGeometry g)
    {
        if (dbt is not null && dwt is null)
            throw new ArgumentException("Conv2dDirect.Backward: the bias gradient is computed only together with the weight gradient.");
        if (dxt is null && dwt is null)
            return;
        float[] x = xt.Array<float>(), gy = gt.Array<float>();
        float[]? dx = dxt?.Array<float>();
        int xOff = xt.Offset, gOff = gt.Offset, dxOff = dxt?.Offset ?? 0;
        int n = xt.Shape[0], o = wt.Shape[0], c = g.C, kh = g.KH, kw = g.KW, taps = g.ColumnRows;
        int outH = g.OutH, outW = g.OutW, img = g.ImageSize, outL = o * outH * outW;
        int poolL = o * (outH / 2) * (outW / 2), dyLen = outL + ReluMaxPool2x2.WriteSlack;
        ReadOnlySpan<float> w = wt.Span<float>();

        // dx = conv(gy zero-padded, flipped transposed weights): "input" gy [O, OutH, OutW] in rows of the forward
        // length wp, row r of channel oc at oc·dplane + (r + KH − 1)·wp + KW − 1; output [C, H, W], where output pixel
        // (ih, iw) sits at dShift + ih·wp + iw of the buffer.
        int wp = g.W + 2 * g.PadW, dplane = (outH + 2 * (kh - 1)) * wp, dShift = g.PadH * wp + g.PadW;
        int dtaps = o * kh * kw, cpad = (c + 1) & ~1;
        int[] dOff = [];
        float[] wF = [], zeros = new float[cpad];
        int gpLen = 0, dywLen = 0;
        // Where the channel-vector layout applies the small output planes make the gather above mostly zeros: the input
        // gradient is scattered tap by tap instead (DirectConv2dInputGrad), from the output gradient in wide rows of ldgD.
        bool scatterDx = dx is not null && ChannelConv2d.Applies(g, o);
        int ldgD = DirectConv2dInputGrad.GradRowLength(outH, wp), dxPlane = (g.H + 2 * g.PadH) * wp;
        if (scatterDx)
        {
            wF = new float[kh * kw * DirectConv2dInputGrad.PaddedChannels(c) * o];
            DirectConv2dInputGrad.PackWeights(w, o, c, kh, kw, wF);
            gpLen = o * ldgD;
            dywLen = DirectConv2dInputGrad.PlanesLength(c, kh, kw, wp, dxPlane, ldgD);
        }
        else if (dx is not null)
        {
            dOff = new int[dtaps];
            DirectConv2d.TapOffsets(o, kh, kw, wp, dplane, dOff);
            wF = new float[dtaps * cpad];
            DirectConv2d.FlipWeights(w, o, c, kh, kw, cpad, wF);
            gpLen = o * dplane + 2 * kw + 2 * DirectConv2d.Lanes;   // the last taps read up to PadW + KW − 2 past the planes
            dywLen = cpad * g.H * wp;
        }

        // dw: x padded as in the forward pass, gy in the wide layout of the forward output.
        int ph = g.PadH, pw = g.PadW, plane = (g.H + 2 * ph) * wp;
        int opad = (o + 1) & ~1, tpad = (taps + DirectConv2dWeightGrad.TapBlock - 1) / DirectConv2dWeightGrad.TapBlock * DirectConv2dWeightGrad.TapBlock;
        int ldg = (outH * wp + DirectConv2d.Lanes - 1) / DirectConv2d.Lanes * DirectConv2d.Lanes;
        int[] off = [];
        int xpLen = 0, gwLen = 0, accLen = 0;
        // The weight gradient with the output channels in the vector (ChannelConv2d) where that layout applies: one
        // image at a time, its output gradient turned pixel-major; without padding x is read in place.
        bool channels = dwt is not null && ChannelConv2d.Applies(g, o), inPlace = channels && ph == 0 && pw == 0;
        if (channels)
        {
            xpLen = inPlace ? 0 : DirectConv2d.PaddedLength(c, g.H, g.W, ph, pw, kw);
            gwLen = outH * outW * ChannelConv2d.Lanes;
            accLen = taps * ChannelConv2d.Lanes;
        }
        else if (dwt is not null)
        {
            off = new int[tpad];   // padded taps read offset 0 and are dropped
            DirectConv2d.TapOffsets(c, kh, kw, wp, plane, off);
            xpLen = DirectConv2d.PaddedLength(c, g.H, g.W, ph, pw, kw);
            gwLen = opad * ldg;
            accLen = opad * tpad * DirectConv2d.Lanes;
        }

        // Images whose weight-gradient contributions share one pass over the accumulator tiles (the accumulators are
        // read and written once per group); the group's buffers stay within about 32 KiB, so that its tile passes hit L1.
        int group = dwt is null || channels ? 1 : Math.Clamp(8192 / (xpLen + gwLen), 1, 8);
        // Without an input gradient the pooled gradient of the fused op is expanded straight into the wide rows.
        bool poolIntoWide = codes is not null && dwt is not null && !channels && dx is null;
        int chunks = BalancedChunks(n, 2L * n * o * taps * outH * outW);
        var partials = new float[chunks][];
        var biasPartials = new float[chunks][];
        NNKernels.For(chunks, t =>
        {
            var (lo, hi) = NNKernels.Range(n, chunks, t);
            float[]? gp = dx is null ? null : ArrayPool<float>.Shared.Rent(gpLen);
            float[]? dyw = dx is null ? null : ArrayPool<float>.Shared.Rent(dywLen);
            float[]? xp = dwt is null ? null : ArrayPool<float>.Shared.Rent(group * xpLen);
            float[]? gw = dwt is null ? null : ArrayPool<float>.Shared.Rent(group * gwLen + ReluMaxPool2x2.WriteSlack);
            float[]? acc = dwt is null ? null : ArrayPool<float>.Shared.Rent(accLen);
            float[]? bsum = dbt is null ? null : biasPartials[t] = new float[o];
            float[]? dy = codes is null || poolIntoWide ? null : ArrayPool<float>.Shared.Rent(dyLen);
            try
            {
                if (gp is not null)
                    Array.Clear(gp, 0, gpLen);
                if (xp is not null)
                {
                    Array.Clear(xp, 0, group * xpLen);
                    Array.Clear(gw!, 0, group * gwLen + ReluMaxPool2x2.WriteSlack);
                    Array.Clear(acc!, 0, accLen);
                }
                for (int i0 = lo; i0 < hi; i0 += group)
                {
                    int cnt = Math.Min(group, hi - i0);
                    for (int j = 0; j < cnt; j++)
                    {
                        int i = i0 + j;
                        if (poolIntoWide)
                        {
                            Span<float> gwj = gw.AsSpan(j * gwLen, gwLen + ReluMaxPool2x2.WriteSlack);
                            ReluMaxPool2x2.BackwardInto(gy.AsSpan(gOff + i * poolL, poolL), codes.AsSpan(i * poolL, poolL), o, outH, outW,
                                gwj, wp, ldg);
                            SumWidePlanes(gwj, o, ldg, bsum);
                            DirectConv2d.CopyInterior(x.AsSpan(xOff + i * img, img), c, g.H, g.W, ph, pw, xp.AsSpan(j * xpLen, xpLen));
                            continue;
                        }
                        ReadOnlySpan<float> gi;
                        if (dy is null)
                            gi = gy.AsSpan(gOff + i * outL, outL);
                        else
                        {
                            ReluMaxPool2x2.Backward(gy.AsSpan(gOff + i * poolL, poolL), codes.AsSpan(i * poolL, poolL), o, outH, outW,
                                dy.AsSpan(0, dyLen));
                            gi = dy.AsSpan(0, outL);
                        }
                        if (gp is not null && scatterDx)
                        {
                            DirectConv2dWeightGrad.CopyGradWide(gi, o, outH, outW, wp, ldgD, gp.AsSpan(0, gpLen));
                            Array.Clear(dyw!, 0, dywLen);
                            DirectConv2dInputGrad.AccumulateImage(gp.AsSpan(0, gpLen), o, ldgD, wF, c, kh, kw, wp, dxPlane, dyw.AsSpan(0, dywLen));
                            DirectConv2dInputGrad.CopyInterior(dyw.AsSpan(0, dywLen), c, g.H, g.W, g.PadH, g.PadW, wp, dxPlane,
                                dx.AsSpan(dxOff + i * img, img));
                        }
                        else if (gp is not null)
                        {
                            DirectConv2d.CopyPlaced(gi, o, outH, outW, kh - 1, kw - 1, wp, dplane, gp);
                            DirectConv2d.ConvImage(gp.AsSpan(dShift, gpLen - dShift), dOff, wF, cpad, c, wp, g.H, g.W, zeros,
                                dyw.AsSpan(0, dywLen), dx.AsSpan(dxOff + i * img, img));
                        }
                        if (xp is not null)
                        {
                            if (channels)
                            {
                                ReadOnlySpan<float> xi = x.AsSpan(xOff + i * img, img);
                                if (!inPlace)
                                {
                                    DirectConv2d.CopyInterior(xi, c, g.H, g.W, ph, pw, xp.AsSpan(0, xpLen));
                                    xi = xp.AsSpan(0, xpLen);
                                }
                                ChannelConv2d.ToPixelMajor(gi, o, outH * outW, gw.AsSpan(0, gwLen));
                                if (bsum is not null)
                                    ChannelConv2dWeightGrad.SumPixels(gw.AsSpan(0, gwLen), outH * outW, o, bsum);
                                ChannelConv2dWeightGrad.AccumulateImage(xi, gw.AsSpan(0, gwLen), c, wp, plane, outH, outW, acc.AsSpan(0, accLen));
                                continue;
                            }
                            DirectConv2d.CopyInterior(x.AsSpan(xOff + i * img, img), c, g.H, g.W, ph, pw, xp.AsSpan(j * xpLen, xpLen));
                            DirectConv2dWeightGrad.CopyGradWide(gi, o, outH, outW, wp, ldg, gw.AsSpan(j * gwLen, gwLen));
                            SumWidePlanes(gw.AsSpan(j * gwLen, gwLen), o, ldg, bsum);
                        }
                    }
                    if (xp is not null && !channels)
                        DirectConv2dWeightGrad.AccumulateImages(xp.AsSpan(0, group * xpLen), xpLen, off, gw.AsSpan(0, group * gwLen), gwLen,
                            cnt, opad, ldg, acc.AsSpan(0, accLen));
                }
                if (acc is not null)
                {
                    var part = new float[o * taps];
                    if (channels)
                        ChannelConv2dWeightGrad.ToWeights(acc.AsSpan(0, accLen), o, taps, part);
                    else
                        DirectConv2dWeightGrad.Reduce(acc.AsSpan(0, accLen), o, taps, tpad, part);
                    partials[t] = part;
                }
            }
            finally
            {
                if (dy is not null)
                    ArrayPool<float>.Shared.Return(dy);
                if (gp is not null)
                {
                    ArrayPool<float>.Shared.Return(gp);
                    ArrayPool<float>.Shared.Return(dyw!);
                }
                if (xp is not null)
                {
                    ArrayPool<float>.Shared.Return(xp);
                    ArrayPool<float>.Shared.Return(gw!);
                    ArrayPool<float>.Shared.Return(acc!);
                }
            }
        });
        if (dwt is not null)
        {
            Span<float> dw = dwt.Value.Span<float>();
            dw.Clear();
            foreach (var p in partials)
                TensorPrimitives.Add(dw, p, dw);
        }
        if (dbt is not null)
        {
            Span<float> db = dbt.Value.Span<float>();
            db.Clear();
            foreach (var p in biasPartials)
                TensorPrimitives.Add(db, p, db);
        }
    }
}

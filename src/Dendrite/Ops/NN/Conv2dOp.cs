using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

namespace Dendrite.Ops;

/// <summary>
/// 2-D convolution (cross-correlation, as PyTorch) of x [N, C, H, W] with weight [O, C/groups, KH, KW] and an
/// optional bias [O], as im2col + GEMM over blocks of images, per group. Backward: dx by GEMM + col2im, dW accumulated over
/// the batch by GEMM against recomputed columns, db by summing the output gradient. Small float32 stride-1 convolutions
/// (<see cref="DirectConv2d.Supports"/>) take the direct kernels of <see cref="Conv2dDirect"/> instead.
/// </summary>
internal sealed class Conv2dOp : GradFn
{
    private Conv2dGeometry _g;
    private int _groups;

    public override string Name => "ConvolutionBackward";

    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding,
        (int H, int W) dilation, int groups)
    {
        const string op = "Conv2d";
        if (x.Rank != 4)
            throw new ArgumentException($"{op}: input must be 4-D [N, C, H, W], got shape {ShapeUtil.Format(x.ShapeArray)}.");
        if (weight.Rank != 4)
            throw new ArgumentException($"{op}: weight must be 4-D [O, C/groups, KH, KW], got shape {ShapeUtil.Format(weight.ShapeArray)}.");
        x.CheckFloating(op);
        if (weight.DType != x.DType || (bias is not null && bias.DType != x.DType))
            throw new ArgumentException($"{op}: input is {x.DType} but weight is {weight.DType}{(bias is null ? "" : " and bias " + bias.DType)}; convert them to one dtype.");
        if (groups < 1)
            throw new ArgumentException($"{op}: groups must be at least 1, got {groups}.");
        int n = x.ShapeArray[0], c = x.ShapeArray[1], h = x.ShapeArray[2], w = x.ShapeArray[3];
        int o = weight.ShapeArray[0], cg = weight.ShapeArray[1], kh = weight.ShapeArray[2], kw = weight.ShapeArray[3];
        if (c % groups != 0)
            throw new ArgumentException($"{op}: input channels {c} (input {ShapeUtil.Format(x.ShapeArray)}) are not divisible by groups {groups}.");
        if (o % groups != 0)
            throw new ArgumentException($"{op}: output channels {o} (weight {ShapeUtil.Format(weight.ShapeArray)}) are not divisible by groups {groups}.");
        if (cg * groups != c)
            throw new ArgumentException($"{op}: weight {ShapeUtil.Format(weight.ShapeArray)} with groups {groups} expects {cg * groups} input channels, but input {ShapeUtil.Format(x.ShapeArray)} has {c} channels.");
        if (bias is not null && (bias.Rank != 1 || bias.ShapeArray[0] != o))
            throw new ArgumentException($"{op}: bias must have shape [{o}], got {ShapeUtil.Format(bias.ShapeArray)}.");
        Conv2dGeometry g;
        try
        {
            g = new Conv2dGeometry(cg, h, w, kh, kw, stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{e.Message} (input {ShapeUtil.Format(x.ShapeArray)}, weight {ShapeUtil.Format(weight.ShapeArray)})", e);
        }

        var xc = x.Dense();
        var wc = weight.Dense();
        var bc = bias?.Dense();
        var y = Tensor.Allocate([n, o, g.OutH, g.OutW], x.DType, false);
        if (x.DType == DType.Float32 && DirectConv2d.Supports(g, groups, o))
            Conv2dDirect.Forward(xc, wc, bc, y, g);
        else if (x.DType == DType.Float32)
            Forward<float>(xc, wc, bc, y, g, groups);
        else
            Forward<double>(xc, wc, bc, y, g, groups);
        if (!ShouldRecord(x, weight, bias))
            return y;
        var fn = new Conv2dOp { _g = g, _groups = groups };
        fn.Save(xc, wc);
        return Record(fn, y, x, weight, bias);
    }

    // Images per GEMM: a block of B images shares one GEMM over B·L columns (the im2col matrices side by side), which
    // amortises packing and lengthens the GEMM's short dimension; the block's column buffer stays near 1 MiB.
    private const int BlockElements = 1 << 18;

    private static int BlockImages(int k, int l, int count) => Math.Clamp(BlockElements / Math.Max(1, k * l), 1, Math.Max(1, count));

    // y[n, gi·Og .., L] = W_gi [Og, K] · columns(x[n, gi·Cg ..]) [K, L] + bias, for blocks of images at a time:
    // tmp [Og, B·L] = W_gi · cols [K, B·L], then each image's [Og, L] slice is copied out with the bias added.
    private static void Forward<T>(Tensor xt, Tensor wt, Tensor? bt, Tensor yt, Conv2dGeometry g, int groups)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = xt.Array<T>(), w = wt.Array<T>(), y = yt.Array<T>();
        T[]? b = bt?.Array<T>();
        int xOff = xt.Offset, wOff = wt.Offset, bOff = bt?.Offset ?? 0;
        int n = xt.ShapeArray[0], o = wt.ShapeArray[0], og = o / groups;
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
                                Span<T> dst = y.AsSpan(((i0 + j) * o + gi * og + oc) * l, l);
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

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var x = Saved(0);
        var w = Saved(1);
        var g = gradOutput.Dense();
        bool direct = x.DType == DType.Float32 && DirectConv2d.Supports(_g, _groups, w.ShapeArray[0]);
        Tensor? dx = NeedsGrad(0) ? Tensor.AllocateLike(x, x.DType, !direct) : null;   // the direct path writes every element
        Tensor? dw = NeedsGrad(1) ? Tensor.AllocateLike(w, x.DType, true) : null;
        Tensor? db = NeedsGrad(2) ? Tensor.Allocate([w.ShapeArray[0]], x.DType, false) : null;
        if (direct)
        {
            // The bias gradient rides along with the weight gradient's pass over the output gradient when there is one.
            if (db is not null && dw is null)
                ConvBias.BiasGrad<float>(g.Span<float>(), db.Span<float>(), g.ShapeArray[0], w.ShapeArray[0], _g.OutH * _g.OutW);
            Conv2dDirect.Backward(x, w, g, dx, dw, dw is null ? null : db, _g);
        }
        else if (x.DType == DType.Float32)
            BackwardCore<float>(x, w, g, dx, dw, db);
        else
            BackwardCore<double>(x, w, g, dx, dw, db);
        return [dx, dw, db];
    }

    private void BackwardCore<T>(Tensor xt, Tensor wt, Tensor gt, Tensor? dxt, Tensor? dwt, Tensor? dbt)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geo = _g;
        int groups = _groups;
        T[] x = xt.Array<T>(), w = wt.Array<T>(), gy = gt.Array<T>();
        int xOff = xt.Offset, wOff = wt.Offset, gOff = gt.Offset;
        int n = xt.ShapeArray[0], o = wt.ShapeArray[0], og = o / groups;
        int k = geo.ColumnRows, l = geo.ColumnCols, grpImg = geo.ImageSize, img = grpImg * groups, wSize = o * k;
        if (dbt is not null)
            ConvBias.BiasGrad<T>(gy.AsSpan(gOff, n * o * l), dbt.Span<T>(), n, o, l);
        if (dxt is null && dwt is null)
            return;
        T[]? dx = dxt?.Array<T>();
        T[]? dw = dwt?.Array<T>();
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
                                Im2Col.Backward<T>(dcols.AsSpan(j * l), geo, dx.AsSpan((i0 + j) * img + gi * grpImg, grpImg), ld);
                        }
                        if (cols is not null)
                        {
                            // dW_g [Og, K] (+)= gBlock [Og, B·L] · colsᵀ [B·L, K]
                            for (int j = 0; j < cnt; j++)
                                Im2Col.Forward<T>(x.AsSpan(xOff + (i0 + j) * img + gi * grpImg, grpImg), geo, cols.AsSpan(j * l), ld);
                            NNKernels.Gemm(false, true, og, k, ld, gOut, ld, cols.AsSpan(0, k * ld), ld, i0 == lo ? T.Zero : T.One,
                                dwAcc.AsSpan(gi * og * k, og * k), k);
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
                TensorPrimitives.Add(dw.AsSpan(0, wSize), p.AsSpan(0, wSize), dw.AsSpan(0, wSize));
                ArrayPool<T>.Shared.Return(p);
            }
    }
}

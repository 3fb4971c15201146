using System.Buffers;
using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

namespace Dendrite.Ops;

/// <summary>
/// <c>maxpool2x2(relu(conv2d(x, w) + b))</c> in one pass per image (float32, stride-1 direct convolutions whose output
/// is at most <see cref="ReluMaxPool2x2.MaxWidth"/> wide): the convolution output and the ReLU output are never
/// stored. Values and gradients are exactly those of the three ops applied one after another; the backward keeps one
/// byte per pooling window (<see cref="ReluMaxPool2x2"/>) and rebuilds each image's convolution output gradient on
/// the fly.
/// </summary>
internal sealed class Conv2dReluMaxPoolOp : GradFn
{
    private Conv2dGeometry _g;
    private byte[]? _codes;

    public override string Name => "ConvolutionReluMaxPoolBackward";

    /// <summary>
    /// The fused result, or null when the fused kernels do not cover these operands (any dtype, shape or geometry
    /// problem included: the unfused ops then run and report it).
    /// </summary>
    public static Tensor? TryApply(Tensor x, Tensor weight, Tensor? bias, (int H, int W) padding)
    {
        if (x.Rank != 4 || weight.Rank != 4 || x.DType != DType.Float32 || weight.DType != DType.Float32)
            return null;
        if (bias is not null && (bias.DType != DType.Float32 || bias.Rank != 1 || bias.ShapeArray[0] != weight.ShapeArray[0]))
            return null;
        int n = x.ShapeArray[0], c = x.ShapeArray[1], h = x.ShapeArray[2], w = x.ShapeArray[3];
        int o = weight.ShapeArray[0], kh = weight.ShapeArray[2], kw = weight.ShapeArray[3];
        if (weight.ShapeArray[1] != c || kh < 1 || kw < 1 || padding.H < 0 || padding.W < 0)
            return null;
        int outH = h + 2 * padding.H - kh + 1, outW = w + 2 * padding.W - kw + 1;
        if (n < 1 || c < 1 || h < 1 || w < 1 || outH < 2 || outW < 2 || outW > ReluMaxPool2x2.MaxWidth || (long)h * w > 4096)
            return null;
        var g = new Conv2dGeometry(c, h, w, kh, kw, 1, 1, padding.H, padding.W, 1, 1);
        if (!DirectConv2d.Supports(g, 1, o) || !ReluMaxPool2x2.Supports(outH, outW))
            return null;

        var xc = x.Dense();
        var wc = weight.Dense();
        var bc = bias?.Dense();
        var pooled = Tensor.Allocate([n, o, outH / 2, outW / 2], DType.Float32, false);
        bool record = ShouldRecord(x, weight, bias);
        byte[]? codes = record ? ArrayPool<byte>.Shared.Rent(pooled.Numel) : null;
        Conv2dDirect.ForwardReluPool(xc, wc, bc, pooled, codes, g);
        if (!record)
            return pooled;
        var fn = new Conv2dReluMaxPoolOp { _g = g, _codes = codes };
        fn.Save(xc, wc);
        return Record(fn, pooled, x, weight, bias);
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        ThrowIfReleased();
        var x = Saved(0);
        var w = Saved(1);
        var gp = gradOutput.Dense();
        Tensor? dx = NeedsGrad(0) ? Tensor.AllocateLike(x, x.DType, false) : null;   // every element is written
        // The bias gradient is summed in the weight gradient's pass, so a weight gradient is computed whenever either is needed.
        Tensor? dw = NeedsGrad(1) || NeedsGrad(2) ? Tensor.AllocateLike(w, x.DType, false) : null;
        Tensor? db = NeedsGrad(2) ? Tensor.Allocate([w.ShapeArray[0]], x.DType, false) : null;
        Conv2dDirect.BackwardReluPool(x, w, gp, _codes!, dx, dw, db, _g);
        return [dx, NeedsGrad(1) ? dw : null, db];
    }

    protected override void ReleaseState()
    {
        // The codes never leave this node, and the engine releases a node only after its last backward has run.
        if (_codes is { } codes)
            ArrayPool<byte>.Shared.Return(codes);
        _codes = null;
    }
}

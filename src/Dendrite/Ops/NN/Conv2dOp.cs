using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// 2-D convolution (cross-correlation, as PyTorch) of x [N, C, H, W] with weight [O, C/groups, KH, KW] and an
/// optional bias [O], giving y [N, O, OutH, OutW]. Backward: dx = the transposed convolution of gy by W,
/// dW = Σ_batch gy ⋆ x (correlation per group), db = Σ gy over N, OutH, OutW. The kernels (im2col + GEMM, direct
/// convolutions for small images) are the backend's.
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

        var backend = Dispatch.Backend(op, x, weight, bias);
        var xc = x.Dense();
        var wc = weight.Dense();
        var bc = bias?.Dense();
        var y = Tensor.Allocate([n, o, g.OutH, g.OutW], x.DType, false, backend);
        backend.Conv2d(xc.Raw, wc.Raw, bc?.Raw, g, groups, y.Raw);
        if (OpTrace.IsActive)
            OpTrace.Record("Conv2d", y, x, weight, bias).With("stride", new[] { stride.H, stride.W }).With("padding", new[] { padding.H, padding.W })
                .With("dilation", new[] { dilation.H, dilation.W }).With("groups", groups);
        if (!ShouldRecord(x, weight, bias))
            return y;
        var fn = new Conv2dOp { _g = g, _groups = groups };
        fn.Save(xc, wc);
        return Record(fn, y, x, weight, bias);
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var x = Saved(0);
        var w = Saved(1);
        var g = gradOutput.Dense();
        var backend = x.Backend;
        // The kernel overwrites every gradient.
        Tensor? dx = NeedsGrad(0) ? Tensor.AllocateLike(x, x.DType, false) : null;
        Tensor? dw = NeedsGrad(1) ? Tensor.AllocateLike(w, x.DType, false) : null;
        Tensor? db = NeedsGrad(2) ? Tensor.Allocate([w.ShapeArray[0]], x.DType, false, backend) : null;
        backend.Conv2dBackward(x.Raw, w.Raw, g.Raw, _g, _groups, dx?.Raw, dw?.Raw, db?.Raw);
        return [dx, dw, db];
    }
}

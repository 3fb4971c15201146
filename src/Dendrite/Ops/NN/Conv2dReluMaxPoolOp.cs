using Dendrite.Backends;
using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// <c>maxpool2x2(relu(conv2d(x, w) + b))</c> as one kernel where the operands' backend has one for the shape
/// (<see cref="IBackend.FusesConv2dReluMaxPool"/>): the convolution output and the ReLU output are never stored.
/// Values and gradients are exactly those of the three ops applied one after another; the backward keeps the
/// backend's per-window state (<see cref="KernelState"/>) and rebuilds each image's convolution output gradient from it.
/// </summary>
internal sealed class Conv2dReluMaxPoolOp : GradFn
{
    private Conv2dGeometry _g;
    private KernelState? _state;

    public override string Name => "ConvolutionReluMaxPoolBackward";

    /// <summary>
    /// The fused result, or null when the fused kernel does not cover these operands (any dtype, shape, geometry or
    /// device problem included: the unfused ops then run and report it).
    /// </summary>
    public static Tensor? TryApply(Tensor x, Tensor weight, Tensor? bias, (int H, int W) padding)
    {
        if (x.Rank != 4 || weight.Rank != 4 || !x.DType.IsFloatingPoint() || weight.DType != x.DType)
            return null;
        if (bias is not null && (bias.DType != x.DType || bias.Rank != 1 || bias.ShapeArray[0] != weight.ShapeArray[0]))
            return null;
        var backend = x.Backend;
        if (!ReferenceEquals(weight.Backend, backend) || (bias is not null && !ReferenceEquals(bias.Backend, backend)))
            return null;
        int n = x.ShapeArray[0], c = x.ShapeArray[1], h = x.ShapeArray[2], w = x.ShapeArray[3];
        int o = weight.ShapeArray[0], kh = weight.ShapeArray[2], kw = weight.ShapeArray[3];
        if (weight.ShapeArray[1] != c || kh < 1 || kw < 1 || padding.H < 0 || padding.W < 0)
            return null;
        // Stride 1: out = in + 2·pad − k + 1; the 2×2 pool needs at least one window.
        int outH = h + 2 * padding.H - kh + 1, outW = w + 2 * padding.W - kw + 1;
        if (n < 1 || c < 1 || h < 1 || w < 1 || outH < 2 || outW < 2)
            return null;
        var g = new Conv2dGeometry(c, h, w, kh, kw, 1, 1, padding.H, padding.W, 1, 1);
        if (!backend.FusesConv2dReluMaxPool(x.DType, g, o))
            return null;

        var xc = x.Dense();
        var wc = weight.Dense();
        var bc = bias?.Dense();
        var pooled = Tensor.Allocate([n, o, outH / 2, outW / 2], x.DType, false, backend);
        bool record = ShouldRecord(x, weight, bias);
        var state = backend.Conv2dReluMaxPool(xc.Raw, wc.Raw, bc?.Raw, g, pooled.Raw, keepState: record);
        // maxpool(2×2, stride 2) ∘ relu ∘ conv2d(stride 1, dilation 1, groups 1)
        if (OpTrace.IsActive)
            OpTrace.Record("Conv2dReluMaxPool", pooled, x, weight, bias).With("padding", new[] { padding.H, padding.W });
        if (!record)
            return pooled;
        var fn = new Conv2dReluMaxPoolOp { _g = g, _state = state };
        fn.Save(xc, wc);
        return Record(fn, pooled, x, weight, bias);
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        ThrowIfReleased();
        var x = Saved(0);
        var w = Saved(1);
        var gp = gradOutput.Dense();
        var backend = x.Backend;
        // The kernel overwrites every gradient.
        Tensor? dx = NeedsGrad(0) ? Tensor.AllocateLike(x, x.DType, false) : null;
        Tensor? dw = NeedsGrad(1) ? Tensor.AllocateLike(w, x.DType, false) : null;
        Tensor? db = NeedsGrad(2) ? Tensor.Allocate([w.ShapeArray[0]], x.DType, false, backend) : null;
        backend.Conv2dReluMaxPoolBackward(x.Raw, w.Raw, gp.Raw, _state!, _g, dx?.Raw, dw?.Raw, db?.Raw);
        return [dx, dw, db];
    }

    protected override void ReleaseState()
    {
        // The state never leaves this node, and the engine releases a node only after its last backward has run.
        _state?.Dispose();
        _state = null;
    }
}

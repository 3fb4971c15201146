using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// Layer normalization over the trailing D = Π normalizedShape elements of each row (biased variance), fused
/// with the elementwise affine γ, β of shape normalizedShape.
/// Backward per row, with ĝ = g·γ: dx = σ⁻¹/D·(D·ĝ − Σĝ − x̂·Σ(ĝ·x̂)); dγ = Σ_rows g·x̂, dβ = Σ_rows g.
/// </summary>
internal sealed class LayerNormOp : GradFn
{
    private Tensor? _mean;      // [rows] in x's dtype, on x's device
    private Tensor? _invStd;    // [rows], σ⁻¹ = 1/√(biased var + eps)
    private int _d;

    public override string Name => "NativeLayerNormBackward";

    public static Tensor Apply(Tensor x, int[] normalizedShape, Tensor? weight, Tensor? bias, double eps)
    {
        const string op = "LayerNorm";
        ArgumentNullException.ThrowIfNull(normalizedShape);
        x.CheckFloating(op);
        int k = normalizedShape.Length;
        bool matches = k >= 1 && k <= x.Rank;
        for (int i = 0; matches && i < k; i++)
            matches = x.ShapeArray[x.Rank - k + i] == normalizedShape[i];
        if (!matches)
            throw new ArgumentException($"{op}: normalized shape {ShapeUtil.Format(normalizedShape)} must be non-empty and match the trailing dimensions of input {ShapeUtil.Format(x.ShapeArray)}.");
        foreach (var (t, what) in new[] { (weight, "weight"), (bias, "bias") })
        {
            if (t is null)
                continue;
            if (!ShapeUtil.SameShape(t.ShapeArray, normalizedShape))
                throw new ArgumentException($"{op}: {what} must have the normalized shape {ShapeUtil.Format(normalizedShape)}, got {ShapeUtil.Format(t.ShapeArray)}.");
            if (t.DType != x.DType)
                throw new ArgumentException($"{op}: input is {x.DType} but {what} is {t.DType}; convert them to one dtype.");
        }
        if (!(eps >= 0))
            throw new ArgumentException($"{op}: eps must be non-negative, got {eps}.");
        int d = ShapeUtil.Numel(normalizedShape);
        int rows = d == 0 ? 0 : x.Numel / d;
        var backend = Dispatch.Backend(op, x, weight, bias);
        var xc = x.Dense();
        var wc = weight?.Dense();
        var bc = bias?.Dense();
        var y = Tensor.AllocateLike(x, x.DType, false);
        var mean = Tensor.Allocate([rows], x.DType, false, backend);
        var invStd = Tensor.Allocate([rows], x.DType, false, backend);
        backend.LayerNorm(xc.Raw, wc?.Raw, bc?.Raw, rows, d, eps, y.Raw, mean.Raw, invStd.Raw);
        if (OpTrace.IsActive)
            OpTrace.Record("LayerNorm", y, x, weight, bias).With("normalizedShape", normalizedShape).With("eps", eps);
        if (!ShouldRecord(x, weight ?? x, bias))
            return y;
        var fn = new LayerNormOp { _mean = mean, _invStd = invStd, _d = d };
        if (wc is null)
            fn.Save(xc);
        else
            fn.Save(xc, wc);
        return Record(fn, y, x, weight, bias);
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        ThrowIfReleased();
        var x = Saved(0);
        Tensor? w = Inputs[1] is not null ? Saved(1) : null;
        var g = gradOutput.Dense();
        var mean = _mean!;
        // The kernel overwrites every gradient.
        Tensor? dx = NeedsGrad(0) ? Tensor.AllocateLike(x, x.DType, false) : null;
        Tensor? dw = NeedsGrad(1) ? Tensor.AllocateLike(w!, x.DType, false) : null;
        Tensor? db = NeedsGrad(2) ? Tensor.AllocateLike(Inputs[2]!, x.DType, false) : null;
        x.Backend.LayerNormBackward(x.Raw, g.Raw, w?.Raw, mean.Raw, _invStd!.Raw, mean.Numel, _d, dx?.Raw, dw?.Raw, db?.Raw);
        return [dx, dw, db];
    }

    protected override void ReleaseState()
    {
        _mean = null;
        _invStd = null;
    }
}

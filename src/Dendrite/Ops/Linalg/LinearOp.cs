using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// y = x·Wᵀ + b for x [..., in], W [out, in], b [out] in one GEMM with the bias added on every row.
/// Backward: dx = g·W, dW = gᵀ·x, db = Σ_rows g.
/// </summary>
internal sealed class LinearOp : GradFn
{
    public override string Name => "LinearBackward";

    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias)
    {
        if (weight.Rank != 2)
            throw new ArgumentException($"Linear: weight must be 2-D [out, in], got shape {ShapeUtil.Format(weight.ShapeArray)}.");
        if (x.Rank < 1)
            throw new ArgumentException("Linear: input must have at least 1 dimension.");
        int outF = weight.ShapeArray[0], inF = weight.ShapeArray[1];
        if (x.ShapeArray[^1] != inF)
            throw new ArgumentException($"Linear: input of shape {ShapeUtil.Format(x.ShapeArray)} has {x.ShapeArray[^1]} features but weight {ShapeUtil.Format(weight.ShapeArray)} expects {inF} (cannot multiply {ShapeUtil.Format(x.ShapeArray)} by the transposed weight).");
        if (bias is not null && (bias.Rank != 1 || bias.ShapeArray[0] != outF))
            throw new ArgumentException($"Linear: bias must have shape [{outF}], got {ShapeUtil.Format(bias.ShapeArray)}.");
        var dt = x.DType;
        x.CheckFloating("Linear");
        if (weight.DType != dt || (bias is not null && bias.DType != dt))
            throw new ArgumentException($"Linear: input is {dt} but weight is {weight.DType}{(bias is null ? "" : " and bias " + bias.DType)}; convert them to one dtype.");
        var backend = Dispatch.Backend("Linear", x, weight, bias);

        var xc = x.Dense();
        int rows = ShapeUtil.Numel(x.ShapeArray.AsSpan(0, x.Rank - 1)); // the leading dimensions, also when inF is 0
        var outShape = (int[])x.ShapeArray.Clone();
        outShape[^1] = outF;
        var y = Tensor.Allocate(outShape, dt, bias is null, backend);
        // [rows, in]·[in, out] (Wᵀ through its strides) + b
        backend.Gemm(new MatrixOperand(xc.Storage, xc.Offset, inF, 1), new MatrixOperand(weight.Storage, weight.Offset, weight.StrideArray[1], weight.StrideArray[0]),
            rows, inF, outF, y.Storage, 0, 0, bias?.Raw);
        if (OpTrace.IsActive)
            OpTrace.Record("Linear", y, x, weight, bias);
        if (!ShouldRecord(x, weight, bias))
            return y;
        var fn = new LinearOp();
        fn.Save(xc, weight);
        return Record(fn, y, x, weight, bias);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var x = Saved(0);
        var w = Saved(1);
        int outF = w.ShapeArray[0], inF = w.ShapeArray[1];
        var gc = g.Dense();
        var backend = g.Backend;
        int rows = gc.Numel / Math.Max(outF, 1);
        Tensor? gx = null, gw = null, gb = null;
        if (NeedsGrad(0))
        {
            // [rows, out]·[out, in] -> [rows, in]
            gx = Tensor.AllocateLike(x, g.DType, false);
            backend.Gemm(new MatrixOperand(gc.Storage, gc.Offset, outF, 1), new MatrixOperand(w.Storage, w.Offset, w.StrideArray[0], w.StrideArray[1]),
                rows, outF, inF, gx.Storage, 0, 0);
        }
        if (NeedsGrad(1))
        {
            // [out, rows]·[rows, in] -> [out, in], added straight into the weight's existing gradient when the engine
            // offers it (beta = 1), instead of a fresh buffer the engine would then add.
            if (AccumulationTarget(1) is { } into && ReferenceEquals(into.Backend, backend) && rows > 0)
            {
                backend.Gemm(new MatrixOperand(gc.Storage, gc.Offset, 1, outF), new MatrixOperand(x.Storage, x.Offset, inF, 1),
                    outF, rows, inF, into.Storage, into.Offset, 1);
                gw = Accumulated;
            }
            else
            {
                gw = Tensor.Allocate([outF, inF], g.DType, rows == 0, backend);
                if (rows > 0)
                    backend.Gemm(new MatrixOperand(gc.Storage, gc.Offset, 1, outF), new MatrixOperand(x.Storage, x.Offset, inF, 1),
                        outF, rows, inF, gw.Storage, 0, 0);
            }
        }
        if (NeedsGrad(2))
        {
            // Σ over rows of g [rows, out]
            gb = Tensor.Allocate([outF], g.DType, false, backend);
            backend.Sum(gc.Raw, 1, rows, outF, gb.Raw, 1);
        }
        return [gx, gw, gb];
    }
}

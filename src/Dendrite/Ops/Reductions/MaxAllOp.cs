using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// Max (or min) of all elements as a 0-d tensor. As in PyTorch, the gradient is shared evenly by every element equal
/// to the result (all NaN elements when the result is NaN).
/// </summary>
internal sealed class MaxAllOp : GradFn
{
    private bool _min;

    public override string Name => _min ? "MinBackward" : "MaxBackward";

    public static Tensor Apply(Tensor x, bool min)
    {
        string op = min ? "Min" : "Max";
        if (x.Numel == 0)
            throw new ArgumentException($"{op}: cannot reduce an empty tensor (shape {ShapeUtil.Format(x.ShapeArray)}): an empty set has no {(min ? "minimum" : "maximum")}; use the dim overload or check Numel first.");
        var flat = x.Detach().Reshape(x.Numel);
        var (values, _) = ArgExtreme.Compute(flat, 0, false, min, op);
        if (OpTrace.IsActive)
            OpTrace.Record(min ? "MinAll" : "MaxAll", values, x);
        if (!ShouldRecord(x))
            return values;
        var fn = new MaxAllOp { _min = min };
        fn.Save(x, values);
        return Record(fn, values, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var x = Saved(0);
        var value = Saved(1);
        // The elements equal to the result, or every NaN when the result is NaN (NaN ≠ NaN).
        var ties = x.Eq(value).LogicalOr(x.Ne(x).LogicalAnd(value.Ne(value))).To(g.DType);
        return [ties.Mul(g.Div(ties.Sum()))];
    }
}

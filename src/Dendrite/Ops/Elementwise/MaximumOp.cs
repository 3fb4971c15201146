using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// Elementwise maximum (or minimum) with broadcasting. The gradient goes to the larger (smaller) operand and is
/// split in half on ties, as in PyTorch.
/// </summary>
internal sealed class MaximumFn : GradFn
{
    private bool _min;

    public override string Name => _min ? "MinimumBackward" : "MaximumBackward";

    public static Tensor Apply(Tensor a, Tensor b, bool minimum)
    {
        var y = minimum ? Dispatch.Binary(a, b, BinaryKind.Minimum, "Minimum") : Dispatch.Binary(a, b, BinaryKind.Maximum, "Maximum");
        if (OpTrace.IsActive)
            OpTrace.Record(minimum ? "Minimum" : "Maximum", y, a, b);
        if (!ShouldRecord(a, b))
            return y;
        var fn = new MaximumFn { _min = minimum };
        fn.Save(a, b);
        return Record(fn, y, a, b);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var a = Saved(0);
        var b = Saved(1);
        // weight of a: 1 where a wins, 0.5 on ties, 0 where b wins
        var wa = Dispatch.Binary(_min ? b : a, _min ? a : b, BinaryKind.WinWeight, "MaximumBackward");
        Tensor? ga = NeedsGrad(0) ? Dispatch.SumTo(g.Mul(wa), a.ShapeArray) : null;
        Tensor? gb = NeedsGrad(1) ? Dispatch.SumTo(g.Mul(wa.Neg().Add(1.0)), b.ShapeArray) : null;
        return [ga, gb];
    }
}

using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>a + α·b with broadcasting; gradients are summed back to each operand's shape.</summary>
internal sealed class AddFn : GradFn
{
    private int[] _a = [], _b = [];
    private double _alpha = 1;

    public override string Name => "AddBackward";

    public static Tensor Apply(Tensor a, Tensor b, double alpha = 1)
    {
        var rhs = alpha == 1 ? b.Detach() : alpha == -1 ? null : MulFn.Apply(b.Detach(), Dispatch.ScalarLike(b, alpha));
        var y = rhs is null ? Dispatch.Binary(a, b, BinaryKind.Sub, "Sub") : Dispatch.Binary(a, rhs, BinaryKind.Add, "Add");
        if (OpTrace.IsActive)
            OpTrace.Record("Add", y, a, b).With("alpha", alpha);
        if (!ShouldRecord(a, b))
            return y;
        return Record(new AddFn { _a = a.ShapeArray, _b = b.ShapeArray, _alpha = alpha }, y, a, b);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var ga = NeedsGrad(0) ? Dispatch.SumTo(g, _a) : null;
        Tensor? gb = null;
        if (NeedsGrad(1))
            gb = Dispatch.SumTo(_alpha == 1 ? g : _alpha == -1 ? g.Neg() : g.Mul(_alpha), _b);
        return [ga, gb];
    }
}

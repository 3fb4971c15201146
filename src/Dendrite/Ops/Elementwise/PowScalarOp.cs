using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>x^p for a scalar exponent p; d/dx = p·x^(p−1) (0 when p = 0).</summary>
internal sealed class PowScalarOp : GradFn
{
    private double _p;

    public override string Name => "PowBackward";

    public static Tensor Apply(Tensor x, double exponent)
    {
        var y = Dispatch.Unary(x, new UnaryOp(UnaryKind.Pow, exponent), "Pow");
        if (OpTrace.IsActive)
            OpTrace.Record("Pow", y, x).With("exponent", exponent);
        if (!ShouldRecord(x))
            return y;
        var fn = new PowScalarOp { _p = exponent };
        fn.Save(x);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [Dispatch.UnaryBackward(g, Saved(0), new UnaryOp(UnaryKind.Pow, _p), "PowBackward")];
}

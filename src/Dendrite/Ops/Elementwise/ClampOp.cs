using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Clamps into [min, max] (either bound optional); the gradient passes where min ≤ x ≤ max.</summary>
internal sealed class ClampOp : GradFn
{
    private double _min, _max;

    public override string Name => "ClampBackward";

    public static Tensor Apply(Tensor x, double? min, double? max)
    {
        if (min is null && max is null)
            throw new ArgumentException("Clamp: at least one of min and max must be given.");
        double lo = min ?? double.NegativeInfinity, hi = max ?? double.PositiveInfinity;
        var y = Dispatch.Unary(x, new UnaryOp(UnaryKind.Clamp, lo, hi), "Clamp");
        if (OpTrace.IsActive)
            OpTrace.Record("Clamp", y, x).With("min", lo).With("max", hi);
        if (!ShouldRecord(x))
            return y;
        var fn = new ClampOp { _min = lo, _max = hi };
        fn.Save(x);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [Dispatch.UnaryBackward(g, Saved(0), new UnaryOp(UnaryKind.Clamp, _min, _max), "ClampBackward")];
}

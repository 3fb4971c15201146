using System.Numerics;
using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

namespace Dendrite.Ops;

/// <summary>x for x &gt; 0, α(eˣ − 1) otherwise; for x ≤ 0 the gradient is y + α.</summary>
internal sealed class EluOp : GradFn
{
    private double _alpha;

    public override string Name => "EluBackward";

    public static Tensor Apply(Tensor x, double alpha)
    {
        var y = ElementMap.Map(x, new Fwd(alpha), "Elu");
        if (!ShouldRecord(x))
            return y;
        var fn = new EluOp { _alpha = alpha };
        fn.Save(x);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [ElementMap.Map2(g, Saved(0), new Bwd(_alpha), "EluBackward")];

    private readonly record struct Fwd(double Alpha) : IElementFunc
    {
        public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? x : T.CreateTruncating(Alpha) * (T.Exp(x) - T.One);
    }

    private readonly record struct Bwd(double Alpha) : IElementFunc2
    {
        public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? g : g * T.CreateTruncating(Alpha) * T.Exp(x);
    }
}

using System.Numerics;
using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

namespace Dendrite.Ops;

/// <summary>x for x &gt; 0, slope·x otherwise; the gradient is 1 or slope.</summary>
internal sealed class LeakyReluOp : GradFn
{
    private double _slope;

    public override string Name => "LeakyReluBackward";

    public static Tensor Apply(Tensor x, double slope)
    {
        var y = ElementMap.Map(x, new Fwd(slope), "LeakyRelu");
        if (!ShouldRecord(x))
            return y;
        var fn = new LeakyReluOp { _slope = slope };
        fn.Save(x);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [ElementMap.Map2(g, Saved(0), new Bwd(_slope), "LeakyReluBackward")];

    private readonly record struct Fwd(double Slope) : IElementFunc
    {
        public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? x : x * T.CreateTruncating(Slope);
    }

    private readonly record struct Bwd(double Slope) : IElementFunc2
    {
        public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? g : g * T.CreateTruncating(Slope);
    }
}

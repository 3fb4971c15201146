using System.Numerics;
using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

namespace Dendrite.Ops;

/// <summary>x^p for a scalar exponent p; d/dx = p·x^(p−1) (0 when p = 0).</summary>
internal sealed class PowScalarOp : GradFn
{
    private double _p;

    public override string Name => "PowBackward";

    public static Tensor Apply(Tensor x, double exponent)
    {
        var y = ElementMap.Map(x, new Fwd(exponent), "Pow");
        if (!ShouldRecord(x))
            return y;
        var fn = new PowScalarOp { _p = exponent };
        fn.Save(x);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [ElementMap.Map2(g, Saved(0), new Bwd(_p), "PowBackward")];

    private readonly record struct Fwd(double P) : IElementFunc
    {
        public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
            => P == 2 ? x * x : P == 1 ? x : P == 0.5 ? T.Sqrt(x) : T.Pow(x, T.CreateTruncating(P));
    }

    private readonly record struct Bwd(double P) : IElementFunc2
    {
        public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T>
            => P == 0 ? T.Zero : P == 2 ? g * T.CreateTruncating(2) * x : g * T.CreateTruncating(P) * T.Pow(x, T.CreateTruncating(P - 1));
    }
}

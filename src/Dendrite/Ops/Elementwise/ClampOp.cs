using System.Numerics;
using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

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
        var y = ElementMap.Map(x, new Fwd(lo, hi), "Clamp");
        if (!ShouldRecord(x))
            return y;
        var fn = new ClampOp { _min = lo, _max = hi };
        fn.Save(x);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [ElementMap.Map2(g, Saved(0), new Bwd(_min, _max), "ClampBackward")];

    private readonly record struct Fwd(double Min, double Max) : IElementFunc
    {
        // NaN propagates, as in PyTorch: comparisons with NaN are false, so it is returned unchanged.
        public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T lo = T.CreateTruncating(Min), hi = T.CreateTruncating(Max);
            return x < lo ? lo : x > hi ? hi : x;
        }
    }

    private readonly record struct Bwd(double Min, double Max) : IElementFunc2
    {
        public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T>
            => x >= T.CreateTruncating(Min) && x <= T.CreateTruncating(Max) ? g : T.Zero;
    }
}

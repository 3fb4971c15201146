using System.Numerics;
using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

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
        var y = minimum ? Dispatch.Binary<MinOp>(a, b, "Minimum") : Dispatch.Binary<MaxOp>(a, b, "Maximum");
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
        var wa = Dispatch.Binary<WinWeight>(_min ? b : a, _min ? a : b, "MaximumBackward");
        Tensor? ga = NeedsGrad(0) ? Dispatch.SumTo(g.Mul(wa), a.ShapeArray) : null;
        Tensor? gb = NeedsGrad(1) ? Dispatch.SumTo(g.Mul(wa.Neg().Add(1.0)), b.ShapeArray) : null;
        return [ga, gb];
    }

    private readonly struct WinWeight : IBinaryOp
    {
        public static T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>
            => a > b ? T.One : a == b ? T.CreateTruncating(0.5) : T.Zero;

        public static void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < y.Length; i++)
                y[i] = Apply(a[i], b[i]);
        }

        public static void RunScalarB<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < y.Length; i++)
                y[i] = Apply(a[i], b);
        }

        public static void RunScalarA<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < y.Length; i++)
                y[i] = Apply(a, b[i]);
        }
    }
}

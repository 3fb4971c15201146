using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Dendrite.Autograd;

namespace Dendrite.Ops;

/// <summary>
/// Mean squared error, mean((x − t)²), as one node: the forward keeps d = x − t, the backward is
/// ∂/∂x = (g/N)·2d and ∂/∂t = −∂/∂x. Same arithmetic, in the same order, as Sub → Square → Mean, without the three
/// intermediate nodes and their backward temporaries.
/// </summary>
internal sealed class MseLossOp : GradFn
{
    public override string Name => "MseLossBackward";

    /// <summary>mean((x − t)²) for same-shape, same-dtype floating tensors with at least one element.</summary>
    public static Tensor Apply(Tensor x, Tensor t)
    {
        var xc = x.Dense();
        var tc = t.Dense();
        var d = Tensor.AllocateLike(x, x.DType, false);
        var loss = Tensor.Allocate([], x.DType, false);
        if (x.DType == DType.Float32)
            Forward(xc.Span<float>(), tc.Span<float>(), d.Span<float>(), loss.Span<float>());
        else
            Forward(xc.Span<double>(), tc.Span<double>(), d.Span<double>(), loss.Span<double>());
        if (!ShouldRecord(x, t))
            return loss;
        var fn = new MseLossOp();
        fn.Save(d);
        return Record(fn, loss, x, t);
    }

    // d = x − t; loss = Σ d² · (1/N), the squares summed as the generic mean sums them. Plain loops (not
    // TensorPrimitives' generic kernels, which ReadyToRun leaves to the JIT) for the elementwise part.
    [SkipLocalsInit]
    private static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, Span<T> d, Span<T> loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = d.Length;
        Span<T> sq = n <= 1024 ? stackalloc T[n] : new T[n];
        for (int i = 0; i < n; i++)
        {
            T v = x[i] - t[i];
            d[i] = v;
            sq[i] = v * v;
        }
        loss[0] = TensorPrimitives.Sum<T>(sq) * (T.One / T.CreateTruncating(n));
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var d = Saved(0);
        var gx = Tensor.AllocateLike(d, d.DType, false);
        double g = gradOutput.Item();
        if (d.DType == DType.Float32)
            Gradient(d.Span<float>(), gx.Span<float>(), (float)g * (float)(1.0 / d.Numel));
        else
            Gradient(d.Span<double>(), gx.Span<double>(), g * (1.0 / d.Numel));
        return [NeedsGrad(0) ? gx : null, NeedsGrad(1) ? gx.Neg() : null];
    }

    // gx = c·(2d), c = g/N rounded once, as Mean's backward scales the incoming gradient before Square's backward.
    private static void Gradient<T>(ReadOnlySpan<T> d, Span<T> gx, T c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T two = T.CreateTruncating(2);
        for (int i = 0; i < d.Length; i++)
            gx[i] = c * (two * d[i]);
    }
}

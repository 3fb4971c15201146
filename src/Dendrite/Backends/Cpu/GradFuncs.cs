using System.Numerics;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu;

// Fused backward formulas of elementwise activations: Apply(g, saved) returns the input gradient.

internal readonly struct SigmoidGrad : IVectorFunc2
{
    public static T Apply<T>(T g, T y) where T : unmanaged, IFloatingPointIeee754<T> => g * y * (T.One - y);
    public static Vector256<T> Apply<T>(Vector256<T> g, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T> => g * y * (Vector256<T>.One - y);
    public static Vector512<T> Apply<T>(Vector512<T> g, Vector512<T> y) where T : unmanaged, IFloatingPointIeee754<T> => g * y * (Vector512<T>.One - y);
}

internal readonly struct TanhGrad : IVectorFunc2
{
    public static T Apply<T>(T g, T y) where T : unmanaged, IFloatingPointIeee754<T> => g * (T.One - y * y);
    public static Vector256<T> Apply<T>(Vector256<T> g, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T> => g * (Vector256<T>.One - y * y);
    public static Vector512<T> Apply<T>(Vector512<T> g, Vector512<T> y) where T : unmanaged, IFloatingPointIeee754<T> => g * (Vector512<T>.One - y * y);
}

internal readonly struct ReluGrad : IVectorFunc2
{
    public static T Apply<T>(T g, T y) where T : unmanaged, IFloatingPointIeee754<T> => y > T.Zero ? g : T.Zero;
    public static Vector256<T> Apply<T>(Vector256<T> g, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<T>.Zero), g, Vector256<T>.Zero);
    public static Vector512<T> Apply<T>(Vector512<T> g, Vector512<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<T>.Zero), g, Vector512<T>.Zero);
}

internal readonly struct SignGrad : IElementFunc2
{
    public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? g : x < T.Zero ? -g : T.Zero;
}

internal readonly struct GeluGrad : IElementFunc2
{
    public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double v = double.CreateTruncating(x);
        double cdf = 0.5 * (1.0 + SpecialFunctions.Erf(v * 0.70710678118654752440));
        double pdf = Math.Exp(-0.5 * v * v) * 0.39894228040143267794;
        return g * T.CreateTruncating(cdf + v * pdf);
    }
}

internal readonly struct SoftplusGrad : IElementFunc2
{
    public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T>
        => x > T.CreateTruncating(20) ? g : g / (T.One + T.Exp(-x));
}

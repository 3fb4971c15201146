using System.Numerics;

namespace Dendrite.Backends.Cpu;

// Elementwise functions with a parameter, and their gradients (Apply(g, x) = g·f′(x)).

internal readonly record struct EluFwd(double Alpha) : IElementFunc
{
    public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? x : T.CreateTruncating(Alpha) * (T.Exp(x) - T.One);
}

internal readonly record struct EluBwd(double Alpha) : IElementFunc2
{
    public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? g : g * T.CreateTruncating(Alpha) * T.Exp(x);
}

internal readonly record struct LeakyReluFwd(double Slope) : IElementFunc
{
    public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? x : x * T.CreateTruncating(Slope);
}

internal readonly record struct LeakyReluBwd(double Slope) : IElementFunc2
{
    public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? g : g * T.CreateTruncating(Slope);
}

internal readonly record struct ClampFwd(double Min, double Max) : IElementFunc
{
    // NaN propagates, as in PyTorch: comparisons with NaN are false, so it is returned unchanged.
    public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T lo = T.CreateTruncating(Min), hi = T.CreateTruncating(Max);
        return x < lo ? lo : x > hi ? hi : x;
    }
}

internal readonly record struct ClampBwd(double Min, double Max) : IElementFunc2
{
    public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T>
        => x >= T.CreateTruncating(Min) && x <= T.CreateTruncating(Max) ? g : T.Zero;
}

internal readonly record struct PowFwd(double P) : IElementFunc
{
    public T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
        => P == 2 ? x * x : P == 1 ? x : P == 0.5 ? T.Sqrt(x) : T.Pow(x, T.CreateTruncating(P));
}

internal readonly record struct PowBwd(double P) : IElementFunc2
{
    public T Apply<T>(T g, T x) where T : unmanaged, IFloatingPointIeee754<T>
        => P == 0 ? T.Zero : P == 2 ? g * T.CreateTruncating(2) * x : g * T.CreateTruncating(P) * T.Pow(x, T.CreateTruncating(P - 1));
}

/// <summary>The share of a gradient that goes to a in max(a, b): 1 where a wins, ½ on ties, else 0.</summary>
internal readonly struct WinWeightK : IBinaryOp
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

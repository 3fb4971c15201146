using System.Numerics;

namespace Dendrite.Backends.Cpu;

/// <summary>A per-element function with parameters (a struct, so calls are specialized and inlined).</summary>
internal interface IElementFunc
{
    T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A per-element function of two same-shaped operands (typically gradient and saved value).</summary>
internal interface IElementFunc2
{
    T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>Loops that apply element functions over dense spans.</summary>
internal static class ElementLoops
{
    public static void Map<TF, T>(TF f, ReadOnlySpan<T> x, Span<T> y) where TF : struct, IElementFunc where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
            y[i] = f.Apply(x[i]);
    }

    public static void Map2<TF, T>(TF f, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where TF : struct, IElementFunc2 where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < a.Length; i++)
            y[i] = f.Apply(a[i], b[i]);
    }
}

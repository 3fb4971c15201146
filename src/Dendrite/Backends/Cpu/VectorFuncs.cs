using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu;

/// <summary>A per-element function of two same-shaped operands with a SIMD form, for hot backward passes.</summary>
internal interface IVectorFunc2
{
    static abstract T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>;

    static abstract Vector256<T> Apply<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T>;

    static abstract Vector512<T> Apply<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>Runs an <see cref="IVectorFunc2"/> over dense spans, 512 or 256 bits at a time.</summary>
internal static class VectorLoops
{
    public static void Map2<TF, T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where TF : IVectorFunc2 where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            int w = Vector512<T>.Count;
            ref T ra = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a);
            ref T rb = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(b);
            ref T ry = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
            for (; i <= n - w; i += w)
                TF.Apply(Vector512.LoadUnsafe(ref ra, (nuint)i), Vector512.LoadUnsafe(ref rb, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            int w = Vector256<T>.Count;
            ref T ra = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a);
            ref T rb = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(b);
            ref T ry = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
            for (; i <= n - w; i += w)
                TF.Apply(Vector256.LoadUnsafe(ref ra, (nuint)i), Vector256.LoadUnsafe(ref rb, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
        }
        for (; i < n; i++)
            y[i] = TF.Apply(a[i], b[i]);
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Flushes subnormal optimizer state to zero. A momentum or moment buffer whose gradient stays zero (a dead ReLU unit)
/// decays geometrically into the subnormal range, where every multiply takes a microcode assist on x86: W2's SGD step
/// ran 10x slower once its momentum reached 1e-38. Values below the smallest normal number (1.2e-38 in float32) change
/// a parameter by less than it can represent, so SGD's momentum, Adam/AdamW's and NAdam's moments, Adamax's first
/// moment, Adadelta's averages and RMSprop's momentum and (uncentered) square average store them as zero; centered
/// RMSprop keeps its square average as it is, since √(v − m²) needs v and m consistent. NaN and infinities pass
/// through. The GPU backend's optimizer kernels flush the same values.
/// </summary>
internal static class Subnormals
{
    /// <summary>The smallest positive normal value of <typeparamref name="T"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MinNormal<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(1.17549435E-38f) : T.CreateTruncating(2.2250738585072014E-308);

    /// <summary>x, or zero where |x| is subnormal (NaN and infinities pass through).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Flush<T>(T x, T minNormal) where T : unmanaged, IFloatingPointIeee754<T> => T.Abs(x) < minNormal ? T.Zero : x;

    /// <summary>x, or zero in the lanes where |x| is subnormal (NaN and infinities pass through).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Flush<T>(Vector<T> x, Vector<T> minNormal) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), minNormal), Vector<T>.Zero, x);

    /// <summary>x, or zero in the lanes where |x| is subnormal (NaN and infinities pass through).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Flush(Vector512<float> x, Vector512<float> minNormal) =>
        Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(x), minNormal), Vector512<float>.Zero, x);
}

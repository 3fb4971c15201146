using System.Runtime.CompilerServices;

namespace Dendrite.Gpu.Kernels.Random;

/// <summary>
/// The counter-based SplitMix64 stream of <c>Dendrite.Generator</c>, as plain arithmetic usable in kernels:
/// output number k (1, 2, ...) of the stream with seed s is Mix(s + k·γ), so any element of a fill can be computed
/// independently from (seed, counter) — no state is carried between threads.
/// </summary>
internal static class SplitMix
{
    /// <summary>The Weyl increment γ = 2⁶⁴/φ.</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>2⁻⁵³, the spacing of <see cref="Uniform01"/>.</summary>
    public const double Inverse2Pow53 = 1.0 / 9007199254740992.0;

    /// <summary>The SplitMix64 finalizer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Output number <paramref name="k"/> (1-based) of the stream with <paramref name="seed"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Output(ulong seed, ulong k) => Mix(seed + k * Gamma);

    /// <summary>A uniform double in [0, 1) from the top 53 bits of a raw output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Uniform01(ulong raw) => (raw >> 11) * Inverse2Pow53;

    /// <summary>
    /// The standard normal of Generator.Normal from the raw outputs r1, r2: sqrt(−2·ln(1 − u1))·cos(2π·u2).
    /// 1 − u1 is exact (u1 is a multiple of 2⁻⁵³ below 1) and never 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Normal(ulong r1, ulong r2) =>
        Math.Sqrt(-2.0 * DeviceMath.Log(1.0 - Uniform01(r1))) * DeviceMath.Cos(2.0 * Math.PI * Uniform01(r2));
}

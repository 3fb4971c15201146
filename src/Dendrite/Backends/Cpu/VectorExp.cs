using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Single-precision exp, log and sigmoid on 16-lane vectors, computed entirely in float (the library routines widen to
/// double for last-bit accuracy, which costs about twice as much). Error is within a few ulp, far below the
/// float32 tolerance the parity cases use.
/// </summary>
internal static class VectorExp
{
    // exp overflows float above ln(FLT_MAX) and turns subnormal below ln(FLT_MIN); clamping keeps 2^n a normal float.
    private const float MaxArg = 88.37626f, MinArg = -87.33654f;
    private const float Log2E = 1.44269504088896341f;
    // ln 2 split in two so n·ln2 is subtracted without rounding error for |n| ≤ 128.
    private const float Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;

    /// <summary>e^x lane-wise, for x clamped to the range where the result is a normal float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        // The x86 min/max return their second operand when either is NaN, so NaN passes through unchanged. (The portable
        // Vector512.Min/Max, with IEEE NaN and signed-zero rules, made ReadyToRun's precompiled code unusable at run time.)
        x = Avx512F.Min(Vector512.Create(MaxArg), Avx512F.Max(Vector512.Create(MinArg), x));
        // x = n·ln2 + r with |r| ≤ ln2/2, so e^x = 2^n · e^r.
        var n = Avx512F.RoundScale(x * Vector512.Create(Log2E), 0); // round to nearest even
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        // e^r ≈ 1 + r + r²·P(r): a degree-5 minimax P (coefficients close to 1/k!) on [-ln2/2, ln2/2].
        var p = Vector512.Create(1.9875691500e-4f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        var er = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        // 2^n built directly in the exponent field.
        var scale = Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512Int32WithTruncation(n) + Vector512.Create(127), 23).AsSingle();
        return er * scale;
    }

    /// <summary>
    /// Natural log lane-wise in single precision: x = m·2^e with m in [√½, √2), ln x = e·ln2 + ln m, ln m from a
    /// degree-8 polynomial in m − 1. Zero gives −∞, negative or NaN gives NaN, +∞ gives +∞; subnormals are scaled
    /// up first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x)
    {
        // Subnormal inputs: multiply by 2^25 and take 25 off the exponent.
        var tiny = Vector512.LessThan(x, Vector512.Create(1.17549435e-38f));
        var xs = Vector512.ConditionalSelect(tiny, x * 33554432f, x);
        var bits = xs.AsInt32();
        var e = Avx512F.ShiftRightArithmetic(bits, 23) - Vector512.Create(127);
        var m = ((bits & Vector512.Create(0x007FFFFF)) | Vector512.Create(0x3F800000)).AsSingle();
        // Keep m in [√½, √2) so m − 1 is small on both sides.
        var big = Vector512.GreaterThan(m, Vector512.Create(1.41421356f));
        m = Vector512.ConditionalSelect(big, m * 0.5f, m);
        var ef = Avx512F.ConvertToVector512Single(e) + Vector512.ConditionalSelect(big, Vector512<float>.One, Vector512<float>.Zero)
            - Vector512.ConditionalSelect(tiny, Vector512.Create(25f), Vector512<float>.Zero);
        var f = m - Vector512<float>.One;
        var z = f * f;
        var p = Vector512.Create(7.0376836292e-2f);
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-1.1514610310e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(1.1676998740e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-1.2420140846e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(1.4249322787e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-1.6668057665e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(2.0000714765e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-2.4999993993e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(3.3333331174e-1f));
        // ln m ≈ f − z/2 + f·z·P(f); e·ln2 added in two parts so it stays exact.
        var r = Vector512.FusedMultiplyAdd(f * z, p, Vector512.FusedMultiplyAdd(ef, Vector512.Create(Ln2Lo), z * -0.5f));
        r = f + r;
        r = Vector512.FusedMultiplyAdd(ef, Vector512.Create(Ln2Hi), r);
        // Special values: 0 → −∞, x < 0 or NaN → NaN, +∞ → +∞.
        r = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<float>.Zero), Vector512.Create(float.NegativeInfinity), r);
        r = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.PositiveInfinity)), x, r);
        var invalid = Vector512.LessThan(x, Vector512<float>.Zero) | ~Vector512.Equals(x, x);
        return Vector512.ConditionalSelect(invalid, Vector512.Create(float.NaN), r);
    }

    /// <summary>y = 1 / (1 + e^(−x)) over whole spans; the caller guarantees equal lengths.</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        ref float rx = ref MemoryMarshal.GetReference(x), ry = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        var one = Vector512<float>.One;
        for (; i + 16 <= n; i += 16)
            (one / (one + Exp(-Vector512.LoadUnsafe(ref rx, (nuint)i)))).StoreUnsafe(ref ry, (nuint)i);
        if (i < n)
        {
            // The tail through a zero-padded vector, so every element gets the same formula.
            Span<float> tail = stackalloc float[16];
            tail.Clear();
            x[i..].CopyTo(tail);
            ref float rt = ref MemoryMarshal.GetReference(tail);
            (one / (one + Exp(-Vector512.LoadUnsafe(ref rt)))).StoreUnsafe(ref rt);
            tail[..(n - i)].CopyTo(y[i..]);
        }
    }
}

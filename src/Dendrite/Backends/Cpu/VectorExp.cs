using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Single-precision exp and sigmoid on 16-lane vectors, computed entirely in float (the library routines widen to
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
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(MinArg)), Vector512.Create(MaxArg));
        // x = n·ln2 + r with |r| ≤ ln2/2, so e^x = 2^n · e^r.
        var n = Vector512.Round(x * Vector512.Create(Log2E));
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
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
        return er * scale;
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

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// The 2×2, stride 2, unpadded max-pool forward (the LeNet/VGG case), vectorised for float and double.
/// </summary>
/// <remarks>
/// Output (i, j) reads the four taps a = x[2i, 2j], b = x[2i, 2j+1], c = x[2i+1, 2j], d = x[2i+1, 2j+1].
/// Scanning them in that order with "replace when strictly greater or NaN" (PyTorch's rule) is the same as
/// starting from a and folding in b, c, d, so each step is a compare + blend on whole vectors. The even/odd
/// columns of a row are separated with in-lane shuffles (shufps/shufpd), which leave the outputs in a fixed
/// lane permutation; values and indices share that permutation, so one cross-lane permute at the end fixes
/// both. The last vector of a row is shifted back to end exactly at OutW (overlapping the previous one,
/// which recomputes identical values), so no scalar tail is needed once a row has one vector's worth.
/// </remarks>
internal static partial class MaxPool2x2
{
    /// <summary><c>[P, H, W] → [P, H/2, W/2]</c> values and in-plane argmax indices (odd trailing row/column dropped).</summary>
    public static void Forward<T>(ReadOnlySpan<T> input, int planes, int h, int w, Span<T> output, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = h / 2, outW = w / 2;
        ref T x = ref MemoryMarshal.GetReference(input);
        ref T y = ref MemoryMarshal.GetReference(output);
        ref int ix = ref MemoryMarshal.GetReference(indices);
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < outH; i++)
            {
                int rowAt = 2 * i * w;    // flat index of tap a for j = 0, within the plane
                ref T r0 = ref Unsafe.Add(ref x, (nint)p * h * w + rowAt);
                int o = (p * outH + i) * outW;
                ref T yo = ref Unsafe.Add(ref y, o);
                ref int io = ref Unsafe.Add(ref ix, o);
                if (typeof(T) == typeof(float) && Avx2.IsSupported && outW >= 4)
                    RowFloat(ref Unsafe.As<T, float>(ref r0), w, outW, rowAt, ref Unsafe.As<T, float>(ref yo), ref io);
                else if (typeof(T) == typeof(double) && Avx2.IsSupported && outW >= 4)
                    RowDouble(ref Unsafe.As<T, double>(ref r0), w, outW, rowAt, ref Unsafe.As<T, double>(ref yo), ref io);
                else
                    RowScalar(ref r0, w, 0, outW, rowAt, ref yo, ref io);
            }
    }

    private static void RowScalar<T>(ref T r0, int w, int j0, int j1, int rowAt, ref T y, ref int ix)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = j0; j < j1; j++)
        {
            ref T a = ref Unsafe.Add(ref r0, 2 * j);
            T m = a;
            int k = 0;
            T v = Unsafe.Add(ref a, 1);
            if (v > m || T.IsNaN(v)) { m = v; k = 1; }
            v = Unsafe.Add(ref a, w);
            if (v > m || T.IsNaN(v)) { m = v; k = w; }
            v = Unsafe.Add(ref a, w + 1);
            if (v > m || T.IsNaN(v)) { m = v; k = w + 1; }
            Unsafe.Add(ref y, j) = m;
            Unsafe.Add(ref ix, j) = rowAt + 2 * j + k;
        }
    }

    // One output row of floats: 8 outputs per 256-bit step, or 4 per 128-bit step when 4 <= OutW < 8.
    private static void RowFloat(ref float r0, int w, int outW, int rowAt, ref float y, ref int ix)
    {
        ref float r1 = ref Unsafe.Add(ref r0, w);
        if (outW >= 8)
        {
            // After shufps(lo, hi) the 8 lanes hold outputs [0,1,4,5 | 2,3,6,7]; tap a of lane l sits at
            // input column 2·order[l].
            Vector256<int> laneCol = Vector256.Create(0, 2, 8, 10, 4, 6, 12, 14);
            for (int j = 0; j < outW; j += 8)
            {
                int jj = Math.Min(j, outW - 8);
                int c = 2 * jj;
                Vector256<float> a0 = Vector256.LoadUnsafe(ref r0, (nuint)c), a1 = Vector256.LoadUnsafe(ref r0, (nuint)(c + 8));
                Vector256<float> b0 = Vector256.LoadUnsafe(ref r1, (nuint)c), b1 = Vector256.LoadUnsafe(ref r1, (nuint)(c + 8));
                Vector256<float> m = Avx.Shuffle(a0, a1, 0b10_00_10_00);  // a: row 0, even columns
                Vector256<int> k = Vector256<int>.Zero;
                Step(ref m, ref k, Avx.Shuffle(a0, a1, 0b11_01_11_01), 1);       // b: row 0, odd
                Step(ref m, ref k, Avx.Shuffle(b0, b1, 0b10_00_10_00), w);       // c: row 1, even
                Step(ref m, ref k, Avx.Shuffle(b0, b1, 0b11_01_11_01), w + 1);   // d: row 1, odd
                Vector256<int> at = k + laneCol + Vector256.Create(rowAt + c);
                // Undo the lane permutation: 64-bit blocks [0, 2, 1, 3].
                Avx2.Permute4x64(m.AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref y, (nuint)jj);
                Avx2.Permute4x64(at.AsInt64(), 0b11_01_10_00).AsInt32().StoreUnsafe(ref ix, (nuint)jj);
            }
        }
        else
        {
            // 128-bit shufps keeps the 4 outputs in order.
            Vector128<int> laneCol = Vector128.Create(0, 2, 4, 6);
            for (int j = 0; j < outW; j += 4)
            {
                int jj = Math.Min(j, outW - 4);
                int c = 2 * jj;
                Vector128<float> a0 = Vector128.LoadUnsafe(ref r0, (nuint)c), a1 = Vector128.LoadUnsafe(ref r0, (nuint)(c + 4));
                Vector128<float> b0 = Vector128.LoadUnsafe(ref r1, (nuint)c), b1 = Vector128.LoadUnsafe(ref r1, (nuint)(c + 4));
                Vector128<float> m = Sse.Shuffle(a0, a1, 0b10_00_10_00);
                Vector128<int> k = Vector128<int>.Zero;
                Step(ref m, ref k, Sse.Shuffle(a0, a1, 0b11_01_11_01), 1);
                Step(ref m, ref k, Sse.Shuffle(b0, b1, 0b10_00_10_00), w);
                Step(ref m, ref k, Sse.Shuffle(b0, b1, 0b11_01_11_01), w + 1);
                m.StoreUnsafe(ref y, (nuint)jj);
                (k + laneCol + Vector128.Create(rowAt + c)).StoreUnsafe(ref ix, (nuint)jj);
            }
        }
    }

    // One output row of doubles: 4 outputs per step. shufpd(lo, hi) leaves outputs [0, 2 | 1, 3]. The tap
    // offsets are tracked in double lanes (exact: they are small integers) so the same blend serves values
    // and offsets, and vcvttpd2dq packs the 4 indices into 32-bit lanes.
    private static void RowDouble(ref double r0, int w, int outW, int rowAt, ref double y, ref int ix)
    {
        ref double r1 = ref Unsafe.Add(ref r0, w);
        Vector256<double> laneCol = Vector256.Create(0.0, 4, 2, 6);
        for (int j = 0; j < outW; j += 4)
        {
            int jj = Math.Min(j, outW - 4);
            int c = 2 * jj;
            Vector256<double> a0 = Vector256.LoadUnsafe(ref r0, (nuint)c), a1 = Vector256.LoadUnsafe(ref r0, (nuint)(c + 4));
            Vector256<double> b0 = Vector256.LoadUnsafe(ref r1, (nuint)c), b1 = Vector256.LoadUnsafe(ref r1, (nuint)(c + 4));
            Vector256<double> m = Avx.Shuffle(a0, a1, 0b0000);
            Vector256<double> k = Vector256<double>.Zero;
            Step(ref m, ref k, Avx.Shuffle(a0, a1, 0b1111), 1);
            Step(ref m, ref k, Avx.Shuffle(b0, b1, 0b0000), w);
            Step(ref m, ref k, Avx.Shuffle(b0, b1, 0b1111), w + 1);
            Vector256<double> at = k + laneCol + Vector256.Create((double)(rowAt + c));
            Avx2.Permute4x64(m, 0b11_01_10_00).StoreUnsafe(ref y, (nuint)jj);
            Avx.ConvertToVector128Int32WithTruncation(Avx2.Permute4x64(at, 0b11_01_10_00)).StoreUnsafe(ref ix, (nuint)jj);
        }
    }

    // m, k <- v, offset where v > m or v is NaN (PyTorch's replacement rule).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(ref Vector256<float> m, ref Vector256<int> k, Vector256<float> v, int offset)
    {
        Vector256<float> take = Vector256.GreaterThan(v, m) | ~Vector256.Equals(v, v);
        m = Vector256.ConditionalSelect(take, v, m);
        k = Vector256.ConditionalSelect(take.AsInt32(), Vector256.Create(offset), k);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(ref Vector128<float> m, ref Vector128<int> k, Vector128<float> v, int offset)
    {
        Vector128<float> take = Vector128.GreaterThan(v, m) | ~Vector128.Equals(v, v);
        m = Vector128.ConditionalSelect(take, v, m);
        k = Vector128.ConditionalSelect(take.AsInt32(), Vector128.Create(offset), k);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(ref Vector256<double> m, ref Vector256<double> k, Vector256<double> v, int offset)
    {
        Vector256<double> take = Vector256.GreaterThan(v, m) | ~Vector256.Equals(v, v);
        m = Vector256.ConditionalSelect(take, v, m);
        k = Vector256.ConditionalSelect(take, Vector256.Create((double)offset), k);
    }
}

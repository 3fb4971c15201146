using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// ReLU followed by a 2×2, stride 2 max-pool, fused, for planes at most <see cref="MaxWidth"/> wide (one image's
/// convolution output, read straight from the convolution's wide rows). The backward keeps one byte per window
/// instead of the ReLU output and the pool's indices.
/// </summary>
/// <remarks>
/// <para>Exactly the unfused result: the windows are scanned a = (2i, 2j), b = (2i, 2j+1), c = (2i+1, 2j),
/// d = (2i+1, 2j+1) with the max-pool's "replace when strictly greater or NaN" rule, and the output is
/// <c>relu(max)</c>, which equals <c>max(relu(·))</c> because ReLU is monotone (a NaN stays NaN either way). The
/// gradient reaches the window's first maximal tap only when that maximum is positive (the ReLU gradient is 0 at
/// or below 0 and for NaN); a positive maximum is positive after ReLU too, so the first maximal tap is the same
/// before and after ReLU.</para>
/// <para>A window's code is the offset of that tap (0 = a, 1 = b, 2 = c, 3 = d) or <see cref="NoGradient"/>.</para>
/// </remarks>
internal static class ReluMaxPool2x2
{
    /// <summary>The widest plane handled: one output row is 16 windows.</summary>
    public const int MaxWidth = 32;

    /// <summary>The code of a window whose maximum is not positive (or is NaN): no gradient flows.</summary>
    public const byte NoGradient = 4;

    /// <summary>Floats that <see cref="Forward"/> may read past the start of a plane's last row.</summary>
    public const int ReadSlack = 2 * 16;

    /// <summary>Floats that <see cref="Backward"/> may write past the end of the last plane.</summary>
    public const int WriteSlack = 2 * 16;

    /// <summary>Whether the fused kernels handle planes of <c>[h, w]</c>.</summary>
    public static bool Supports(int h, int w) => Avx512F.IsSupported && h >= 2 && w >= 2 && w <= MaxWidth;

    /// <summary>
    /// <c>[P, h, w] → [P, h/2, w/2]</c>: <c>pooled = relu(max over each window)</c> and, unless
    /// <paramref name="codes"/> is empty, each window's gradient code. Row r of plane p is read at
    /// <c>p·plane + r·ld</c>, 32 floats at a time (the caller provides <see cref="ReadSlack"/> readable floats past
    /// the last row's start); the outputs are written exactly, nothing past their ends.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> src, int planes, int h, int w, int ld, int plane, Span<float> pooled, Span<byte> codes)
    {
        int oh = h / 2, ow = w / 2, outLen = planes * oh * ow;
        bool withCodes = !codes.IsEmpty;
        if (!Supports(h, w) || ld < w || src.Length < (planes - 1) * plane + (h - 1) * ld + ReadSlack || pooled.Length < outLen
            || (withCodes && codes.Length < outLen))
            throw new ArgumentException($"ReluMaxPool2x2.Forward: {planes} planes of {h}x{w} (rows of {ld}) do not fit the buffers or the kernel.");
        ref float s0 = ref MemoryMarshal.GetReference(src);
        ref float p0 = ref MemoryMarshal.GetReference(pooled);
        ref byte c0 = ref MemoryMarshal.GetReference(codes);
        var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var odd = even + Vector512<int>.One;
        Span<float> tmp = stackalloc float[16];
        Span<byte> tmpCodes = stackalloc byte[16];
        ref float t0 = ref MemoryMarshal.GetReference(tmp);
        ref byte tc0 = ref MemoryMarshal.GetReference(tmpCodes);
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
            {
                ref float r0 = ref Unsafe.Add(ref s0, p * plane + 2 * i * ld);
                ref float r1 = ref Unsafe.Add(ref r0, ld);
                Vector512<float> x0 = Vector512.LoadUnsafe(ref r0), x1 = Vector512.LoadUnsafe(ref r0, 16);
                Vector512<float> y0 = Vector512.LoadUnsafe(ref r1), y1 = Vector512.LoadUnsafe(ref r1, 16);
                Vector512<float> a = Avx512F.PermuteVar16x32x2(x0, even, x1), b = Avx512F.PermuteVar16x32x2(x0, odd, x1);
                Vector512<float> c = Avx512F.PermuteVar16x32x2(y0, even, y1), d = Avx512F.PermuteVar16x32x2(y0, odd, y1);
                Vector512<float> m = a;
                m = Vector512.ConditionalSelect(Vector512.GreaterThan(b, m) | ~Vector512.Equals(b, b), b, m);
                m = Vector512.ConditionalSelect(Vector512.GreaterThan(c, m) | ~Vector512.Equals(c, c), c, m);
                m = Vector512.ConditionalSelect(Vector512.GreaterThan(d, m) | ~Vector512.Equals(d, d), d, m);
                // relu(m) as TensorPrimitives.Max(m, 0): NaN stays, anything not above zero (−0 included) becomes +0.
                Vector512<float> positive = Vector512.GreaterThan(m, Vector512<float>.Zero);
                Vector512<float> y = Vector512.ConditionalSelect(positive | ~Vector512.Equals(m, m), m, Vector512<float>.Zero);
                int o = (p * oh + i) * ow;
                if (o + 16 <= outLen)
                    y.StoreUnsafe(ref p0, (nuint)o);   // spills into the next rows, which are written after this one
                else
                {
                    // Element by element, with no call that would make the loop's vectors spill around it.
                    y.StoreUnsafe(ref t0);
                    for (int k = 0; k < ow; k++)
                        Unsafe.Add(ref p0, o + k) = Unsafe.Add(ref t0, k);
                }
                if (!withCodes)
                    continue;
                Vector512<int> code = Vector512.ConditionalSelect(Vector512.Equals(c, m).AsInt32(), Vector512.Create(2), Vector512.Create(3));
                code = Vector512.ConditionalSelect(Vector512.Equals(b, m).AsInt32(), Vector512<int>.One, code);
                code = Vector512.ConditionalSelect(Vector512.Equals(a, m).AsInt32(), Vector512<int>.Zero, code);
                code = Vector512.ConditionalSelect(positive.AsInt32(), code, Vector512.Create((int)NoGradient));
                Vector128<byte> packed = Avx512F.ConvertToVector128Byte(code);
                if (o + 16 <= outLen)
                    packed.StoreUnsafe(ref c0, (nuint)o);
                else
                {
                    packed.StoreUnsafe(ref tc0);
                    for (int k = 0; k < ow; k++)
                        Unsafe.Add(ref c0, o + k) = Unsafe.Add(ref tc0, k);
                }
            }
    }

    /// <summary>
    /// The input gradient <c>[P, h, w]</c> (written, not added) from the pooled gradient <c>[P, h/2, w/2]</c> and the
    /// codes of <see cref="Forward"/>: each window's gradient at its coded tap, zeros elsewhere (the odd trailing
    /// row and column included). <paramref name="gradInput"/> needs <see cref="WriteSlack"/> floats past its
    /// <c>P·h·w</c>; they are overwritten.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> gradPooled, ReadOnlySpan<byte> codes, int planes, int h, int w, Span<float> gradInput) =>
        BackwardInto(gradPooled, codes, planes, h, w, gradInput, w, h * w);

    /// <summary>
    /// As <see cref="Backward"/> into rows of
    /// <paramref name="ld"/> ≥ w floats, planes <paramref name="inPlane"/> ≥ h·ld apart: row r of plane p at
    /// <c>p·inPlane + r·ld</c>. Columns w to 31 of each row are written with zeros, columns from 32 to ld (and the gaps
    /// between planes) are not written; <paramref name="gradInput"/> needs <see cref="WriteSlack"/> floats past the
    /// start of the last plane's last row.
    /// </summary>
    public static void BackwardInto(ReadOnlySpan<float> gradPooled, ReadOnlySpan<byte> codes, int planes, int h, int w, Span<float> gradInput,
        int ld, int inPlane)
    {
        int oh = h / 2, ow = w / 2, outLen = planes * oh * ow;
        if (!Supports(h, w) || ld < w || inPlane < h * ld || gradPooled.Length < outLen || codes.Length < outLen
            || gradInput.Length < (planes - 1) * inPlane + (h - 1) * ld + WriteSlack)
            throw new ArgumentException($"ReluMaxPool2x2.BackwardInto: {planes} planes of {h}x{w} (rows of {ld}) do not fit the buffers or the kernel.");
        ref float g0 = ref MemoryMarshal.GetReference(gradPooled);
        ref byte c0 = ref MemoryMarshal.GetReference(codes);
        ref float d0 = ref MemoryMarshal.GetReference(gradInput);
        var lo = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        var hi = lo + Vector512.Create(8);
        var inRow = Vector512.LessThan(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(ow));
        Span<float> tmp = stackalloc float[16];
        Span<byte> tmpCodes = stackalloc byte[16];
        tmp.Clear();
        tmpCodes.Clear();
        ref float t0 = ref MemoryMarshal.GetReference(tmp);
        ref byte tc0 = ref MemoryMarshal.GetReference(tmpCodes);
        for (int p = 0; p < planes; p++)
        {
            ref float plane = ref Unsafe.Add(ref d0, p * inPlane);
            for (int i = 0; i < oh; i++)
            {
                int o = (p * oh + i) * ow;
                Vector512<float> g;
                Vector128<byte> packed;
                if (o + 16 <= outLen)
                {
                    g = Vector512.LoadUnsafe(ref g0, (nuint)o);
                    packed = Vector128.LoadUnsafe(ref c0, (nuint)o);
                }
                else
                {
                    // Element by element, with no call that would make the loop's vectors spill around it.
                    for (int k = 0; k < ow; k++)
                    {
                        Unsafe.Add(ref t0, k) = Unsafe.Add(ref g0, o + k);
                        Unsafe.Add(ref tc0, k) = Unsafe.Add(ref c0, o + k);
                    }
                    g = Vector512.LoadUnsafe(ref t0);
                    packed = Vector128.LoadUnsafe(ref tc0);
                }
                g = Vector512.ConditionalSelect(inRow.AsSingle(), g, Vector512<float>.Zero);
                Vector512<int> code = Avx512F.ConvertToVector512Int32(packed);
                Vector512<float> ga = Vector512.ConditionalSelect(Vector512.Equals(code, Vector512<int>.Zero).AsSingle(), g, Vector512<float>.Zero);
                Vector512<float> gb = Vector512.ConditionalSelect(Vector512.Equals(code, Vector512<int>.One).AsSingle(), g, Vector512<float>.Zero);
                Vector512<float> gc = Vector512.ConditionalSelect(Vector512.Equals(code, Vector512.Create(2)).AsSingle(), g, Vector512<float>.Zero);
                Vector512<float> gd = Vector512.ConditionalSelect(Vector512.Equals(code, Vector512.Create(3)).AsSingle(), g, Vector512<float>.Zero);
                // Rows are stored in increasing address order, so what a 32-float store spills past a row's end is
                // rewritten by the later rows; the last spill lands in the caller's slack.
                ref float r0 = ref Unsafe.Add(ref plane, 2 * i * ld);
                Avx512F.PermuteVar16x32x2(ga, lo, gb).StoreUnsafe(ref r0);
                Avx512F.PermuteVar16x32x2(ga, hi, gb).StoreUnsafe(ref r0, 16);
                ref float r1 = ref Unsafe.Add(ref r0, ld);
                Avx512F.PermuteVar16x32x2(gc, lo, gd).StoreUnsafe(ref r1);
                Avx512F.PermuteVar16x32x2(gc, hi, gd).StoreUnsafe(ref r1, 16);
            }
            if ((h & 1) != 0)
                for (int k = 0; k < w; k++)
                    Unsafe.Add(ref plane, (h - 1) * ld + k) = 0f;
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

internal static partial class MaxPool2x2
{
    /// <summary>
    /// Whether <see cref="BackwardDense"/> runs vectorised for planes of width <paramref name="w"/> (float32 only).
    /// </summary>
    public static bool DenseBackwardSupported(int w) => Avx512F.IsSupported && w / 2 >= 8;

    /// <summary>
    /// The 2×2 max-pool input gradient, <b>written</b> (not added): <c>[P, OutH, OutW]</c> output gradients and
    /// in-plane argmax indices → <c>[P, H, W]</c>. Windows do not overlap, so every input element is either its
    /// window's argmax (it receives the window's gradient) or zero; the odd trailing row/column is zero.
    /// </summary>
    /// <remarks>
    /// Per output row, 8 outputs at a time: their gradients and window-relative argmax offsets (0, 1, W or W+1) are
    /// duplicated into 16 lanes, one per input column, and each of the window's two input rows is one compare and
    /// masked select against the lane's own offset. The last group of a row is shifted back to end at OutW; it
    /// rewrites identical values.
    /// </remarks>
    public static void BackwardDense(ReadOnlySpan<float> gradOutput, ReadOnlySpan<int> indices, int planes, int h, int w,
        Span<float> gradInput)
    {
        int outH = h / 2, outW = w / 2, inPlane = h * w, outPlane = outH * outW;
        if (!DenseBackwardSupported(w) || gradOutput.Length < planes * outPlane || indices.Length < planes * outPlane
            || gradInput.Length < planes * inPlane)
            throw new ArgumentException($"MaxPool2x2.BackwardDense: {planes} planes of {h}x{w} do not fit the buffers or the vector path.");
        ref float go = ref MemoryMarshal.GetReference(gradOutput);
        ref int ix = ref MemoryMarshal.GetReference(indices);
        ref float gi = ref MemoryMarshal.GetReference(gradInput);
        var dup = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
        var lane2 = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        var tap0 = Vector512.Create(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1);
        var tap1 = tap0 + Vector512.Create(w);
        for (int p = 0; p < planes; p++)
        {
            ref float plane = ref Unsafe.Add(ref gi, (nint)p * inPlane);
            for (int i = 0; i < outH; i++)
            {
                int rowAt = 2 * i * w, o = (p * outH + i) * outW;
                ref float r0 = ref Unsafe.Add(ref plane, rowAt);
                ref float r1 = ref Unsafe.Add(ref r0, w);
                for (int j = 0; j < outW; j += 8)
                {
                    int jj = Math.Min(j, outW - 8);
                    Vector256<float> v = Vector256.LoadUnsafe(ref go, (nuint)(o + jj));
                    // Offset of the argmax from its window's top-left tap a = (2i, 2jj + 2·lane).
                    Vector256<int> rel = Vector256.LoadUnsafe(ref ix, (nuint)(o + jj)) - Vector256.Create(rowAt + 2 * jj) - lane2;
                    Vector512<float> v16 = Avx512F.PermuteVar16x32(Vector512.Create(v, v), dup);
                    Vector512<int> rel16 = Avx512F.PermuteVar16x32(Vector512.Create(rel, rel), dup);
                    Vector512.ConditionalSelect(Vector512.Equals(rel16, tap0).AsSingle(), v16, Vector512<float>.Zero)
                        .StoreUnsafe(ref r0, (nuint)(2 * jj));
                    Vector512.ConditionalSelect(Vector512.Equals(rel16, tap1).AsSingle(), v16, Vector512<float>.Zero)
                        .StoreUnsafe(ref r1, (nuint)(2 * jj));
                }
                if ((w & 1) != 0)
                {
                    Unsafe.Add(ref r0, w - 1) = 0f;
                    Unsafe.Add(ref r1, w - 1) = 0f;
                }
            }
            if ((h & 1) != 0)
                MemoryMarshal.CreateSpan(ref Unsafe.Add(ref plane, (h - 1) * w), w).Clear();
        }
    }
}

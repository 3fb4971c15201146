using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Strided row copies shared by im2col and pooling: the taps <c>row[start + i·stride]</c> of one kernel
/// position across a row of outputs. Callers guarantee every tap is in range (see ConvGeometry.ValidRange).
/// </summary>
internal static class StridedRow
{
    /// <summary><c>dst[i] = src[start + i·stride]</c> for i in [0, dst.Length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gather<T>(ReadOnlySpan<T> src, int start, int stride, Span<T> dst)
    {
        ref T s = ref Unsafe.Add(ref MemoryMarshal.GetReference(src), start);
        ref T d = ref MemoryMarshal.GetReference(dst);
        for (int i = 0; i < dst.Length; i++)
            Unsafe.Add(ref d, i) = Unsafe.Add(ref s, i * stride);
    }

    /// <summary><c>dst[start + i·stride] += src[i]</c> for i in [0, src.Length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ScatterAdd<T>(ReadOnlySpan<T> src, Span<T> dst, int start, int stride)
        where T : IFloatingPointIeee754<T>
    {
        ref T s = ref MemoryMarshal.GetReference(src);
        ref T d = ref Unsafe.Add(ref MemoryMarshal.GetReference(dst), start);
        for (int i = 0; i < src.Length; i++)
            Unsafe.Add(ref d, i * stride) += Unsafe.Add(ref s, i);
    }

    /// <summary>
    /// The taps of one kernel position for outputs [lo, hi): a direct slice of the input row when the
    /// stride is 1, otherwise gathered into <paramref name="scratch"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<T> Taps<T>(ReadOnlySpan<T> row, int lo, int hi, int stride, int offset, Span<T> scratch)
    {
        if (stride == 1)
            return row.Slice(lo + offset, hi - lo);
        Span<T> d = scratch.Slice(lo, hi - lo);
        Gather(row, lo * stride + offset, stride, d);
        return d;
    }
}

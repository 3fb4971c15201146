using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Software prefetch for gathers of scattered rows (a shuffled batch): the hardware prefetcher follows a row once
/// it is being read, but cannot guess the next random row, so each row would start with a cache miss.
/// </summary>
internal static unsafe class Prefetch
{
    /// <summary>Asks the CPU to start loading <paramref name="data"/> into cache (a hint; no effect where unsupported).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Range<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        if (!Sse.IsSupported || data.IsEmpty)
            return;
        byte* p = (byte*)Unsafe.AsPointer(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(data)));
        // Every 64-byte line the range touches, including a partial last line when the start is not aligned.
        nint first = (nint)p & ~(nint)63, last = (nint)(p + (nint)data.Length * sizeof(T) - 1);
        for (nint line = first; line <= last; line += 64)
            Sse.Prefetch0((void*)line);
    }
}

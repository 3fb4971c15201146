using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Gemm;

/// <summary>
/// Up to 8 values a GEMM thread carries from global to shared memory (the prefetched part of the next k tile).
/// Named fields and constant counts (4 or 8, fixed per tile shape) so everything stays in registers.
/// </summary>
internal struct Fragment8<T> where T : unmanaged, INumber<T>
{
#pragma warning disable CS1591 // the carried values
    public T V0, V1, V2, V3, V4, V5, V6, V7;
#pragma warning restore CS1591

    /// <summary>
    /// V_r = view[start + r·step] for r &lt; count, or 0 when the row/column is out of range (<paramref name="lineOk"/>)
    /// or k position kOffset + r is not below <paramref name="kLimit"/>; out-of-range reads go to <paramref name="safe"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Load(ArrayView<T> view, long start, long step, int count, bool lineOk, int kOffset, int kLimit, long safe)
    {
        V0 = Read(view, start, lineOk && kOffset < kLimit, safe);
        V1 = Read(view, start + step, lineOk && kOffset + 1 < kLimit, safe);
        V2 = Read(view, start + 2 * step, lineOk && kOffset + 2 < kLimit, safe);
        V3 = Read(view, start + 3 * step, lineOk && kOffset + 3 < kLimit, safe);
        if (count > 4)
        {
            V4 = Read(view, start + 4 * step, lineOk && kOffset + 4 < kLimit, safe);
            V5 = Read(view, start + 5 * step, lineOk && kOffset + 5 < kLimit, safe);
            V6 = Read(view, start + 6 * step, lineOk && kOffset + 6 < kLimit, safe);
            V7 = Read(view, start + 7 * step, lineOk && kOffset + 7 < kLimit, safe);
        }
    }

    /// <summary>shared[r·stride] = V_r for r &lt; count (stride and count are constants after inlining).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(ArrayView<T> shared, int stride, int count)
    {
        shared[0] = V0;
        shared[stride] = V1;
        shared[2 * stride] = V2;
        shared[3 * stride] = V3;
        if (count > 4)
        {
            shared[4 * stride] = V4;
            shared[5 * stride] = V5;
            shared[6 * stride] = V6;
            shared[7 * stride] = V7;
        }
    }

    // The address is always valid (a clamped one when the element is out of range), so a speculated load is safe.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Read(ArrayView<T> view, long index, bool ok, long safe)
    {
        T value = view[ok ? index : safe];
        return ok ? value : T.Zero;
    }
}

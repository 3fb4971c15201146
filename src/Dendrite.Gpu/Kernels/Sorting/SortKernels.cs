using ILGPU;

namespace Dendrite.Gpu.Kernels.Sorting;

/// <summary>
/// One pass of a bottom-up merge sort of every line of a dense [outer, size, inner] block along its middle axis.
/// <see cref="Width"/> is the length of the sorted runs the pass merges in pairs; <see cref="First"/> marks the pass
/// that reads the unsorted input (an element's index is then its own position); descending reverses the key order.
/// </summary>
internal struct SortPass
{
#pragma warning disable CS1591 // described in the summary
    public long N;
    public int Size, Inner, Width, Descending, First;
#pragma warning restore CS1591
}

/// <summary>
/// A stable merge sort without barriers: pass k merges runs of 2ᵏ elements pairwise, each thread placing one element
/// at its rank in the merged run (its position in its own run plus a binary-search count in the partner run). Ties
/// go to the left run, which holds the earlier input positions, so the order is stable; ⌈log₂ size⌉ passes sort a
/// line (at least one, which then copies).
/// </summary>
internal static class SortKernels
{
    /// <summary>
    /// For every element p &lt; N at position j of its line: with r = ⌊j / width⌋ and the pair starting at
    /// s = (r with its low bit cleared)·width, an element of the left run (r even) goes to j + #{q in the right run:
    /// q before it}, one of the right run to j − width + #{q in the left run: q not after it}. Keys and indices move
    /// together from the source to the destination views.
    /// </summary>
    [GpuKernel]
    public static void MergePass<T, TKey>(ArrayView<T> srcKeys, ArrayView<long> srcIdx, ArrayView<T> dstKeys, ArrayView<long> dstIdx, SortPass a)
        where T : unmanaged where TKey : struct, ISortKey<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        long block = (long)a.Size * a.Inner;
        for (long p = Grid.GlobalIndex.X; p < a.N; p += stride)
        {
            long o = p / block, rest = p - o * block;
            long j = rest / a.Inner, i = rest - j * a.Inner;
            long line = o * block + i;
            T key = srcKeys[p];
            long index = a.First != 0 ? j : srcIdx[p];
            long width = a.Width;
            long run = j / width;
            long pairStart = (run & ~1L) * width;
            bool left = (run & 1L) == 0;
            long lo = left ? pairStart + width : pairStart;
            long end = left ? Math.Min(lo + width, a.Size) : pairStart + width;
            long start = lo;
            long hi = lo < end ? end : lo;
            // Left element: skip partner keys strictly before it. Right element: skip partner keys not after it.
            while (lo < hi)
            {
                long mid = (lo + hi) >> 1;
                T k = srcKeys[line + mid * a.Inner];
                bool skip = left ? Before<T, TKey>(k, key, a.Descending) : !Before<T, TKey>(key, k, a.Descending);
                if (skip)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            long count = lo - start;
            long target = left ? j + count : j - width + count;
            long at = line + target * a.Inner;
            dstKeys[at] = key;
            dstIdx[at] = index;
        }
    }

    // a comes before b in the requested direction (NaN the largest key).
    private static bool Before<T, TKey>(T a, T b, int descending) where T : unmanaged where TKey : struct, ISortKey<T> =>
        descending != 0 ? default(TKey).Less(b, a) : default(TKey).Less(a, b);
}

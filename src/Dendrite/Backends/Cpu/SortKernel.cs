using System.Buffers;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// torch.sort over the lines of a dense [outer, size, inner] block (<see cref="IBackend.Sort"/>): each line's
/// positions are ordered by (key, position), which is a total order, so any comparison sort gives the stable result.
/// NaN is the largest key; lines run in parallel when there are many elements.
/// </summary>
internal static class SortKernel
{
    private const int ParallelElements = 1 << 15;

    /// <summary>The block's sizes, the direction and the offsets of the source and the two outputs.</summary>
    internal readonly record struct Layout(int Outer, int Size, int Inner, bool Descending, int SourceOffset, int ValuesOffset, int IndicesOffset);

    /// <summary>A strict order of keys ("a comes before b ascending") in which NaN is larger than every number.</summary>
    internal interface IKeyOrder<T>
    {
        static abstract bool Less(T a, T b);
    }

    /// <summary>float keys: numeric order, −0 = +0, NaN last.</summary>
    internal readonly struct FloatKey : IKeyOrder<float>
    {
        public static bool Less(float a, float b) => a < b || (float.IsNaN(b) && !float.IsNaN(a));
    }

    /// <summary>double keys: numeric order, −0 = +0, NaN last.</summary>
    internal readonly struct DoubleKey : IKeyOrder<double>
    {
        public static bool Less(double a, double b) => a < b || (double.IsNaN(b) && !double.IsNaN(a));
    }

    /// <summary>long keys.</summary>
    internal readonly struct LongKey : IKeyOrder<long>
    {
        public static bool Less(long a, long b) => a < b;
    }

    /// <summary>bool keys: false before true.</summary>
    internal readonly struct BoolKey : IKeyOrder<bool>
    {
        public static bool Less(bool a, bool b) => !a && b;
    }

    /// <summary>values[o, j, i] = x[o, p_j, i] and indices[o, j, i] = p_j, the positions p of line (o, i) in sorted order.</summary>
    public static void Sort<T, TOrder>(T[] x, T[] values, long[] indices, Layout l)
        where T : unmanaged where TOrder : struct, IKeyOrder<T>
    {
        int lines = l.Outer * l.Inner;
        if (lines == 0 || l.Size == 0)
            return;
        long n = (long)lines * l.Size;
        if (lines == 1 || n < ParallelElements)
        {
            SortLines<T, TOrder>(x, values, indices, l, 0, lines);
            return;
        }
        int chunks = Math.Min(lines, Threads.Count * 4);
        CpuParallel.For(chunks, c => SortLines<T, TOrder>(x, values, indices, l, (int)((long)lines * c / chunks), (int)((long)lines * (c + 1) / chunks)));
    }

    // Lines [first, last): line ℓ = o·inner + i starts at o·size·inner + i and steps by inner.
    private static void SortLines<T, TOrder>(T[] x, T[] values, long[] indices, Layout l, int first, int last)
        where T : unmanaged where TOrder : struct, IKeyOrder<T>
    {
        int size = l.Size, inner = l.Inner;
        var keys = ArrayPool<T>.Shared.Rent(size);
        var order = ArrayPool<int>.Shared.Rent(size);
        try
        {
            for (int line = first; line < last; line++)
            {
                int o = line / inner, i = line - o * inner;
                int start = o * size * inner + i;
                for (int j = 0; j < size; j++)
                {
                    keys[j] = x[l.SourceOffset + start + j * inner];
                    order[j] = j;
                }
                order.AsSpan(0, size).Sort(new ByKeyThenPosition<T, TOrder>(keys, l.Descending));
                for (int j = 0; j < size; j++)
                {
                    int p = order[j];
                    values[l.ValuesOffset + start + j * inner] = keys[p];
                    indices[l.IndicesOffset + start + j * inner] = p;
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(keys);
            ArrayPool<int>.Shared.Return(order);
        }
    }

    // Positions p, q compared by their keys (reversed when descending), ties by position: a total order.
    private readonly struct ByKeyThenPosition<T, TOrder>(T[] keys, bool descending) : IComparer<int>
        where T : unmanaged where TOrder : struct, IKeyOrder<T>
    {
        public int Compare(int p, int q)
        {
            T a = keys[p], b = keys[q];
            if (descending)
                (a, b) = (b, a);
            if (TOrder.Less(a, b))
                return -1;
            if (TOrder.Less(b, a))
                return 1;
            return p.CompareTo(q);
        }
    }
}

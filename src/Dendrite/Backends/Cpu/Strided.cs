namespace Dendrite.Backends.Cpu;

/// <summary>Copies between strided N-d layouts and dense row-major buffers.</summary>
internal static class Strided
{
    /// <summary>Gathers the strided view (<paramref name="shape"/>, <paramref name="strides"/> at <paramref name="offset"/>) into dense <paramref name="dst"/>.</summary>
    public static void Gather<T>(T[] src, int offset, int[] shape, int[] strides, Span<T> dst)
    {
        int rank = shape.Length;
        if (dst.Length == 0)
            return;
        if (rank == 0)
        {
            dst[0] = src[offset];
            return;
        }
        int inner = shape[rank - 1];
        int innerStride = strides[rank - 1];
        int rowCount = dst.Length / inner;
        var rows = new StridedRows(offset, shape, strides, stackalloc int[rank]);
        for (int r = 0, d = 0; r < rowCount; r++, d += inner)
        {
            int o = rows.Offset;
            if (innerStride == 1)
                src.AsSpan(o, inner).CopyTo(dst.Slice(d, inner));
            else
                for (int j = 0, p = o; j < inner; j++, p += innerStride)
                    dst[d + j] = src[p];
            rows.Next();
        }
    }

    /// <summary>Scatters dense <paramref name="src"/> into the strided view of <paramref name="dst"/>.</summary>
    public static void Scatter<T>(ReadOnlySpan<T> src, T[] dst, int offset, int[] shape, int[] strides)
    {
        int rank = shape.Length;
        if (src.Length == 0)
            return;
        if (rank == 0)
        {
            dst[offset] = src[0];
            return;
        }
        int inner = shape[rank - 1];
        int innerStride = strides[rank - 1];
        int rowCount = src.Length / inner;
        var rows = new StridedRows(offset, shape, strides, stackalloc int[rank]);
        for (int r = 0, s = 0; r < rowCount; r++, s += inner)
        {
            int o = rows.Offset;
            if (innerStride == 1)
                src.Slice(s, inner).CopyTo(dst.AsSpan(o, inner));
            else
                for (int j = 0, p = o; j < inner; j++, p += innerStride)
                    dst[p] = src[s + j];
            rows.Next();
        }
    }

    /// <summary>Fills every element of a strided view with <paramref name="value"/>.</summary>
    public static void Fill<T>(T value, T[] dst, int offset, int[] shape, int[] strides)
    {
        int rank = shape.Length;
        int n = 1;
        foreach (int s in shape)
            n *= s;
        if (n == 0)
            return;
        if (rank == 0)
        {
            dst[offset] = value;
            return;
        }
        int inner = shape[rank - 1];
        int innerStride = strides[rank - 1];
        int rowCount = n / inner;
        var rows = new StridedRows(offset, shape, strides, stackalloc int[rank]);
        for (int r = 0; r < rowCount; r++)
        {
            int o = rows.Offset;
            if (innerStride == 1)
                dst.AsSpan(o, inner).Fill(value);
            else
                for (int j = 0, p = o; j < inner; j++, p += innerStride)
                    dst[p] = value;
            rows.Next();
        }
    }
}

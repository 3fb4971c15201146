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
        int rows = dst.Length / inner;
        Span<int> idx = stackalloc int[rank];
        int o = offset;
        int d = 0;
        for (int r = 0; r < rows; r++)
        {
            if (innerStride == 1)
                src.AsSpan(o, inner).CopyTo(dst.Slice(d, inner));
            else
                for (int j = 0, p = o; j < inner; j++, p += innerStride)
                    dst[d + j] = src[p];
            d += inner;
            // advance the multi-index over the outer dims
            for (int k = rank - 2; k >= 0; k--)
            {
                o += strides[k];
                if (++idx[k] < shape[k])
                    break;
                o -= strides[k] * shape[k];
                idx[k] = 0;
            }
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
        int rows = src.Length / inner;
        Span<int> idx = stackalloc int[rank];
        int o = offset;
        int s = 0;
        for (int r = 0; r < rows; r++)
        {
            if (innerStride == 1)
                src.Slice(s, inner).CopyTo(dst.AsSpan(o, inner));
            else
                for (int j = 0, p = o; j < inner; j++, p += innerStride)
                    dst[p] = src[s + j];
            s += inner;
            for (int k = rank - 2; k >= 0; k--)
            {
                o += strides[k];
                if (++idx[k] < shape[k])
                    break;
                o -= strides[k] * shape[k];
                idx[k] = 0;
            }
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
        int rows = n / inner;
        Span<int> idx = stackalloc int[rank];
        int o = offset;
        for (int r = 0; r < rows; r++)
        {
            if (innerStride == 1)
                dst.AsSpan(o, inner).Fill(value);
            else
                for (int j = 0, p = o; j < inner; j++, p += innerStride)
                    dst[p] = value;
            for (int k = rank - 2; k >= 0; k--)
            {
                o += strides[k];
                if (++idx[k] < shape[k])
                    break;
                o -= strides[k] * shape[k];
                idx[k] = 0;
            }
        }
    }
}

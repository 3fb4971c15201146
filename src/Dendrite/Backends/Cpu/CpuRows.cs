namespace Dendrite.Backends.Cpu;

/// <summary>
/// Row copies of the CPU data path (TensorDataset batches, image flips) over host memory. Callers use them only for
/// CPU tensors and take a device-independent route (tensor ops) for the others.
/// </summary>
internal static class CpuRows
{
    /// <summary>dst row k = src row indices[k], for dense host views src [n, row] and dst [indices.Length, row] of one dtype.</summary>
    public static void Gather(StorageView src, ReadOnlySpan<int> indices, int row, StorageView dst)
    {
        switch (src.DType)
        {
            case DType.Float32: Gather(src.Span<float>(), indices, row, dst.Span<float>()); break;
            case DType.Float64: Gather(src.Span<double>(), indices, row, dst.Span<double>()); break;
            case DType.Int64: Gather(src.Span<long>(), indices, row, dst.Span<long>()); break;
            default: Gather(src.Span<bool>(), indices, row, dst.Span<bool>()); break;
        }
    }

    private static void Gather<T>(ReadOnlySpan<T> s, ReadOnlySpan<int> indices, int row, Span<T> d) where T : unmanaged
    {
        if (row == 1)
        {
            for (int k = 0; k < indices.Length; k++)
                d[k] = s[indices[k]];
            return;
        }
        for (int k = 0; k < indices.Length; k++)
            s.Slice(indices[k] * row, row).CopyTo(d.Slice(k * row, row));
    }

    /// <summary>Each of the <paramref name="rows"/> rows of <paramref name="width"/> elements of dense host <paramref name="src"/> reversed into dense <paramref name="dst"/>.</summary>
    public static void Reverse(StorageView src, int rows, int width, StorageView dst)
    {
        switch (src.DType)
        {
            case DType.Float32: Reverse(src.Span<float>(), rows, width, dst.Span<float>()); break;
            case DType.Float64: Reverse(src.Span<double>(), rows, width, dst.Span<double>()); break;
            case DType.Int64: Reverse(src.Span<long>(), rows, width, dst.Span<long>()); break;
            default: Reverse(src.Span<bool>(), rows, width, dst.Span<bool>()); break;
        }
    }

    private static void Reverse<T>(ReadOnlySpan<T> s, int rows, int w, Span<T> d) where T : unmanaged
    {
        for (int r = 0; r < rows; r++)
        {
            var row = d.Slice(r * w, w);
            s.Slice(r * w, w).CopyTo(row);
            row.Reverse();
        }
    }
}

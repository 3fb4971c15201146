namespace Dendrite.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Gemm(MatrixOperand a, MatrixOperand b, int m, int k, int n, Storage c, int cOffset, double beta, StorageView? rowBias = null)
    {
        if (rowBias is { } bias)
        {
            // x·Wᵀ + b in one pass where the GEMM kernel can add the bias as it stores each output tile.
            if (m > 0 && n > 0 && k > 0 && TensorGemm.TryMmBias(a, b, m, k, n, bias, c, cOffset))
                return;
            FillRows(bias, c, cOffset, m * n);
            beta = 1;
        }
        if (m > 0 && n > 0)
            TensorGemm.Mm(a, b, m, k, n, c, cOffset, beta);
    }

    private static void FillRows(StorageView bias, Storage c, int cOffset, int total)
    {
        if (c.DType == DType.Float32)
            Repeat<float>(Dense<float>(bias), CpuViews.Host<float>(c).Data.AsSpan(cOffset, total));
        else
            Repeat<double>(Dense<double>(bias), CpuViews.Host<double>(c).Data.AsSpan(cOffset, total));
    }

    private static ReadOnlySpan<T> Dense<T>(StorageView v) where T : unmanaged => v.IsContiguous ? v.Span<T>() : GatherNew<T>(v);

    /// <summary>Fills dst with copies of <paramref name="row"/> end to end: one copy, then each copy doubles the filled
    /// prefix, so narrow rows (a bias of 5) cost log2(rows) block copies, not one call per row.</summary>
    private static void Repeat<T>(ReadOnlySpan<T> row, Span<T> dst)
    {
        int total = dst.Length;
        if (total == 0)
            return;
        row.CopyTo(dst);
        int filled = row.Length;
        while (filled < total)
        {
            int chunk = Math.Min(filled, total - filled);
            dst[..chunk].CopyTo(dst.Slice(filled, chunk));
            filled += chunk;
        }
    }
}

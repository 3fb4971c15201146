using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu;

/// <summary>Column sums of a dense float [rows, cols] block (the bias gradient of a linear layer).</summary>
internal static class ColumnSum
{
    /// <summary>Below this width the generic reduction's narrow path (which sums in another order) is kept.</summary>
    public const int MinWidth = 16;

    /// <summary>dst[j] = Σ_i src[i, j] for a dense [rows, cols] block, adding the rows in order (the same order, hence
    /// the same rounding, as the generic row-by-row reduction) with 16 columns per vector and no call per row.</summary>
    public static unsafe void Run(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst)
    {
        const int W = 16;
        fixed (float* s = src, d = dst)
        {
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                // Four column vectors at a time keep four independent add chains in flight.
                for (; j + 4 * W <= cols; j += 4 * W)
                {
                    float* r = s + j;
                    Vector512<float> a0 = Vector512.Load(r), a1 = Vector512.Load(r + W), a2 = Vector512.Load(r + 2 * W), a3 = Vector512.Load(r + 3 * W);
                    for (int i = 1; i < rows; i++)
                    {
                        r += cols;
                        a0 += Vector512.Load(r); a1 += Vector512.Load(r + W); a2 += Vector512.Load(r + 2 * W); a3 += Vector512.Load(r + 3 * W);
                    }
                    a0.Store(d + j); a1.Store(d + j + W); a2.Store(d + j + 2 * W); a3.Store(d + j + 3 * W);
                }
                for (; j + W <= cols; j += W)
                {
                    float* r = s + j;
                    Vector512<float> a = Vector512.Load(r);
                    for (int i = 1; i < rows; i++)
                    {
                        r += cols;
                        a += Vector512.Load(r);
                    }
                    a.Store(d + j);
                }
            }
            for (; j < cols; j++)
            {
                float a = s[j];
                for (int i = 1; i < rows; i++)
                    a += s[(nint)i * cols + j];
                d[j] = a;
            }
        }
    }
}

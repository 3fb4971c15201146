using System.Numerics;
using System.Numerics.Tensors;

namespace Dendrite.Backends.Cpu;

/// <summary>Reductions over the middle axis of a dense [outer, r, inner] layout.</summary>
internal static class ReduceKernel
{
    /// <summary>dst[o, i] = scale · Σ_r src[o, r, i].</summary>
    public static void Sum<T>(ReadOnlySpan<T> src, int outer, int r, int inner, Span<T> dst, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
                dst[o] = TensorPrimitives.Sum(src.Slice(o * r, r)) * scale;
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            var acc = dst.Slice(o * inner, inner);
            var block = src.Slice(o * r * inner, r * inner);
            if (r == 0)
            {
                acc.Clear();
                continue;
            }
            block[..inner].CopyTo(acc);
            for (int k = 1; k < r; k++)
                TensorPrimitives.Add(acc, block.Slice(k * inner, inner), acc);
            if (scale != T.One)
                TensorPrimitives.Multiply(acc, scale, acc);
        }
    }

    /// <summary>Integer sum (for counting Bool/Int64 tensors).</summary>
    public static void SumInt64(ReadOnlySpan<long> src, int outer, int r, int inner, Span<long> dst)
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                long s = 0;
                for (int k = 0; k < r; k++)
                    s += src[(o * r + k) * inner + i];
                dst[o * inner + i] = s;
            }
    }

    /// <summary>Max (or min) over r with the index of the first extreme; NaN counts as the extreme, as in PyTorch.</summary>
    public static void ArgExtreme<T>(ReadOnlySpan<T> src, int outer, int r, int inner, Span<T> values, Span<long> indices, bool max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int baseIdx = o * r * inner + i;
                T best = src[baseIdx];
                int bestK = 0;
                if (!T.IsNaN(best))
                {
                    for (int k = 1; k < r; k++)
                    {
                        T v = src[baseIdx + k * inner];
                        if (T.IsNaN(v))
                        {
                            best = v;
                            bestK = k;
                            break;
                        }
                        if (max ? v > best : v < best)
                        {
                            best = v;
                            bestK = k;
                        }
                    }
                }
                values[o * inner + i] = best;
                indices[o * inner + i] = bestK;
            }
    }
}

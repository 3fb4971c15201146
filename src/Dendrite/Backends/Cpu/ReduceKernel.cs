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
            if (inner < NarrowInner && r >= 2 * NarrowInner)
            {
                SumNarrow(block, r, inner, acc, scale);
                continue;
            }
            block[..inner].CopyTo(acc);
            for (int k = 1; k < r; k++)
                TensorPrimitives.Add(acc, block.Slice(k * inner, inner), acc);
            if (scale != T.One)
                TensorPrimitives.Multiply(acc, scale, acc);
        }
    }

    // Below this many columns, adding one row at a time spends more on call overhead than on arithmetic.
    private const int NarrowInner = 16;

    // Column sums of a [r, inner] block with few columns (e.g. a bias gradient of 5 outputs over 640 rows): the
    // block is summed in chunks of lcm(inner, 16) elements, so every chunk starts on column 0 and whole vectors
    // are added; the chunk-sized partial sums are then folded into the inner columns.
    private static void SumNarrow<T>(ReadOnlySpan<T> block, int r, int inner, Span<T> acc, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunk = inner * (NarrowInner / Gcd(inner, NarrowInner));
        Span<T> partial = stackalloc T[chunk];
        int rowsPerChunk = chunk / inner;
        int chunks = r / rowsPerChunk;
        block[..chunk].CopyTo(partial);
        for (int c = 1; c < chunks; c++)
            TensorPrimitives.Add(partial, block.Slice(c * chunk, chunk), partial);
        partial[..inner].CopyTo(acc);
        for (int q = 1; q < rowsPerChunk; q++)
            TensorPrimitives.Add(acc, partial.Slice(q * inner, inner), acc);
        for (int k = chunks * rowsPerChunk; k < r; k++)
            TensorPrimitives.Add(acc, block.Slice(k * inner, inner), acc);
        if (scale != T.One)
            TensorPrimitives.Multiply(acc, scale, acc);
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
            (a, b) = (b, a % b);
        return a;
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

    /// <summary>Routes g[o, i] to position [o, indices[o, i], i] of a zeroed dense [outer, r, inner] gradient.</summary>
    public static void ScatterArg<T>(ReadOnlySpan<T> g, ReadOnlySpan<long> indices, int outer, int r, int inner, Span<T> dst)
        where T : unmanaged
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int p = o * inner + i;
                dst[(o * r + (int)indices[p]) * inner + i] = g[p];
            }
    }

    /// <summary>
    /// Mean and variance over r (two passes, for accuracy): mean[o, i] and var[o, i] = Σ (x − mean)² / (r − ddof).
    /// <paramref name="scratch"/> holds max(r, inner) elements.
    /// </summary>
    public static void Moments<T>(ReadOnlySpan<T> src, int outer, int r, int inner, Span<T> mean, Span<T> variance, int ddof, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T invN = T.One / T.CreateTruncating(r);
        T invD = T.One / T.CreateTruncating(r - ddof);
        if (inner == 1)
        {
            var buf = scratch[..r];
            for (int o = 0; o < outer; o++)
            {
                var row = src.Slice(o * r, r);
                T m = TensorPrimitives.Sum(row) * invN;
                TensorPrimitives.Subtract(row, m, buf);
                mean[o] = m;
                variance[o] = TensorPrimitives.SumOfSquares<T>(buf) * invD;
            }
            return;
        }
        var diff = scratch[..inner];
        for (int o = 0; o < outer; o++)
        {
            var block = src.Slice(o * r * inner, r * inner);
            var m = mean.Slice(o * inner, inner);
            var v = variance.Slice(o * inner, inner);
            m.Clear();
            v.Clear();
            for (int k = 0; k < r; k++)
                TensorPrimitives.Add(m, block.Slice(k * inner, inner), m);
            TensorPrimitives.Multiply(m, invN, m);
            for (int k = 0; k < r; k++)
            {
                TensorPrimitives.Subtract(block.Slice(k * inner, inner), m, diff);
                TensorPrimitives.MultiplyAdd(diff, diff, v, v);
            }
            TensorPrimitives.Multiply(v, invD, v);
        }
    }
}

using System.Numerics;
using System.Numerics.Tensors;

namespace Dendrite.Backends.Cpu;

/// <summary>Index-driven copies (gather, index_select, cat) and their accumulating inverses. Indices are pre-validated.</summary>
internal static class IndexKernel
{
    /// <summary>
    /// torch.gather: dst[p] = src[base(p) + index[p]·srcStrides[dim]], where base(p) is the offset of p's multi-index
    /// in src with the <paramref name="dim"/> coordinate left out. dst and index are dense of <paramref name="shape"/>.
    /// </summary>
    public static void Gather<T>(T[] src, int srcOffset, int[] srcStrides, ReadOnlySpan<long> index, int[] shape, int dim, Span<T> dst)
        where T : unmanaged
    {
        int n = dst.Length;
        if (n == 0)
            return;
        int rank = shape.Length;
        int sd = srcStrides[dim];
        Span<int> idx = stackalloc int[rank];
        int b = srcOffset;
        for (int p = 0; p < n; p++)
        {
            dst[p] = src[b + (int)index[p] * sd];
            for (int k = rank - 1; k >= 0; k--)
            {
                int step = k == dim ? 0 : srcStrides[k];
                b += step;
                if (++idx[k] < shape[k])
                    break;
                b -= step * shape[k];
                idx[k] = 0;
            }
        }
    }

    /// <summary>The adjoint of <see cref="Gather{T}"/>: dst[base(p) + index[p]·dstStrides[dim]] += g[p].</summary>
    public static void ScatterAdd<T>(ReadOnlySpan<T> g, ReadOnlySpan<long> index, int[] shape, int dim, Span<T> dst, int[] dstStrides)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = g.Length;
        if (n == 0)
            return;
        int rank = shape.Length;
        int sd = dstStrides[dim];
        Span<int> idx = stackalloc int[rank];
        int b = 0;
        for (int p = 0; p < n; p++)
        {
            dst[b + (int)index[p] * sd] += g[p];
            for (int k = rank - 1; k >= 0; k--)
            {
                int step = k == dim ? 0 : dstStrides[k];
                b += step;
                if (++idx[k] < shape[k])
                    break;
                b -= step * shape[k];
                idx[k] = 0;
            }
        }
    }

    /// <summary>dst[o, j, :] = src[o, index[j], :] for dense src [outer, size, inner] and dst [outer, n, inner] (row copies).</summary>
    public static void IndexSelect<T>(ReadOnlySpan<T> src, int outer, int size, int inner, ReadOnlySpan<long> index, Span<T> dst)
        where T : unmanaged
    {
        int n = index.Length;
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                var s = src.Slice(o * size, size);
                var d = dst.Slice(o * n, n);
                for (int j = 0; j < n; j++)
                    d[j] = s[(int)index[j]];
            }
            return;
        }
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < n; j++)
                src.Slice((o * size + (int)index[j]) * inner, inner).CopyTo(dst.Slice((o * n + j) * inner, inner));
    }

    /// <summary>The adjoint of <see cref="IndexSelect{T}"/>: dst[o, index[j], :] += g[o, j, :] (repeated indices accumulate).</summary>
    public static void IndexAdd<T>(ReadOnlySpan<T> g, int outer, int size, int inner, ReadOnlySpan<long> index, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = index.Length;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < n; j++)
            {
                var d = dst.Slice((o * size + (int)index[j]) * inner, inner);
                if (inner == 1)
                    d[0] += g[o * n + j];
                else
                    TensorPrimitives.Add(d, g.Slice((o * n + j) * inner, inner), d);
            }
    }

    /// <summary>Copies dense src [outer, n, inner] into dst [outer, total, inner] at position <paramref name="start"/> of the middle axis.</summary>
    public static void CopyBlock<T>(ReadOnlySpan<T> src, int outer, int n, int inner, Span<T> dst, int total, int start)
        where T : unmanaged
    {
        int block = n * inner;
        if (block == 0)
            return;
        for (int o = 0; o < outer; o++)
            src.Slice(o * block, block).CopyTo(dst.Slice((o * total + start) * inner, block));
    }
}

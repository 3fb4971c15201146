using System.Numerics;
using Dendrite.Gpu.Kernels.Elementwise;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Indexing;

/// <summary>
/// Index-driven copies (torch.gather, index_select) and their accumulating adjoints. The adjoints have two forms: a
/// deterministic one where each thread owns a line of targets and adds its contributions in index order (the CPU's
/// order, so the same bits), and an atomic one for CUDA shapes with too few lines to fill the device (the order of
/// the additions to one target then varies from run to run).
/// </summary>
internal static class IndexKernels
{
    /// <summary>
    /// torch.gather: y[p] = x[base(p) + index[p]·dimStride] for p &lt; n, where base(p) = <paramref name="bases"/>'s
    /// offset of p (x's strides over index's shape, 0 along the gathered dim).
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double)), KernelInstance(typeof(long)), KernelInstance(typeof(byte))]
    public static void Gather<T>(ArrayView<T> x, ArrayView<long> index, ArrayView<T> y, StridedLayout bases, long dimStride, long n)
        where T : unmanaged
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long p = Grid.GlobalIndex.X; p < n; p += stride)
            y[p] = x[bases.OffsetOf(p) + index[p] * dimStride];
    }

    /// <summary>
    /// The adjoint of <see cref="Gather{T}"/> by lines: line ℓ &lt; lines is a position of index's shape without the
    /// gathered dim; its thread adds g[s + j·sourceStride] to gx[t + index[s + j·sourceStride]·targetStride] for
    /// j = 0 .. length − 1 in order, with s and t the line's offsets in index (and g) and in gx. Lines own disjoint
    /// targets, so no two threads touch one element.
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void ScatterAddLines<T>(ArrayView<T> g, ArrayView<long> index, ArrayView<T> gx, StridedLayout sourceLines,
        StridedLayout targetLines, long lines, long length, long sourceStride, long targetStride)
        where T : unmanaged, INumber<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long line = Grid.GlobalIndex.X; line < lines; line += stride)
        {
            long s = sourceLines.OffsetOf(line), t = targetLines.OffsetOf(line);
            for (long j = 0; j < length; j++, s += sourceStride)
            {
                long at = t + index[s] * targetStride;
                gx[at] += g[s];
            }
        }
    }

    /// <summary>The adjoint of <see cref="Gather{T}"/> by atomics: gx[base(p) + index[p]·dimStride] += g[p] for p &lt; n.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float), typeof(AtomicAddFloat)), KernelInstance(typeof(double), typeof(AtomicAddDouble))]
    public static void ScatterAddAtomic<T, TAtomic>(ArrayView<T> g, ArrayView<long> index, ArrayView<T> gx, StridedLayout bases, long dimStride,
        long n) where T : unmanaged where TAtomic : struct, IAtomicAdd<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long p = Grid.GlobalIndex.X; p < n; p += stride)
            default(TAtomic).Add(gx, bases.OffsetOf(p) + index[p] * dimStride, g[p]);
    }

    /// <summary>y[o, j, i] = src[o, index[j], i] for dense src [outer, size, inner] and y [outer, count, inner] (n elements).</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double)), KernelInstance(typeof(long)), KernelInstance(typeof(byte))]
    public static void IndexSelect<T>(ArrayView<T> src, ArrayView<long> index, ArrayView<T> y, int size, int count, int inner, int n)
        where T : unmanaged
    {
        int stride = Grid.DimX * Group.DimX;
        int block = count * inner;
        for (int p = Grid.GlobalIndex.X; p < n; p += stride)
        {
            int o = p / block, rest = p - o * block;
            int j = rest / inner, i = rest - j * inner;
            y[p] = src[(o * (long)size + index[j]) * inner + i];
        }
    }

    /// <summary>
    /// The adjoint of <see cref="IndexSelect{T}"/> by columns: the thread of column c = o·inner + i (c &lt; columns)
    /// adds g[o, j, i] to gx[o, index[j], i] for j = 0 .. count − 1 in order (no two threads share a target).
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void IndexAddColumns<T>(ArrayView<T> g, ArrayView<long> index, ArrayView<T> gx, int size, int count, int inner, int columns)
        where T : unmanaged, INumber<T>
    {
        int stride = Grid.DimX * Group.DimX;
        for (int c = Grid.GlobalIndex.X; c < columns; c += stride)
        {
            int o = c / inner, i = c - o * inner;
            long source = (long)o * count * inner + i, target = (long)o * size * inner + i;
            for (int j = 0; j < count; j++, source += inner)
                gx[target + index[j] * inner] += g[source];
        }
    }

    /// <summary>The adjoint of <see cref="IndexSelect{T}"/> by atomics: gx[o, index[j], i] += g[o, j, i] for every element of g.</summary>
    [GpuKernel]
    [KernelInstance(typeof(float), typeof(AtomicAddFloat)), KernelInstance(typeof(double), typeof(AtomicAddDouble))]
    public static void IndexAddAtomic<T, TAtomic>(ArrayView<T> g, ArrayView<long> index, ArrayView<T> gx, int size, int count, int inner, int n)
        where T : unmanaged where TAtomic : struct, IAtomicAdd<T>
    {
        int stride = Grid.DimX * Group.DimX;
        int block = count * inner;
        for (int p = Grid.GlobalIndex.X; p < n; p += stride)
        {
            int o = p / block, rest = p - o * block;
            int j = rest / inner, i = rest - j * inner;
            default(TAtomic).Add(gx, (o * (long)size + index[j]) * inner + i, g[p]);
        }
    }
}

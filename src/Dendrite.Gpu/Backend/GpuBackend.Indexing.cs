using Dendrite.Backends;
using Dendrite.Gpu.Kernels.Elementwise;
using Dendrite.Gpu.Kernels.Indexing;
using ILGPU;

namespace Dendrite.Gpu.Backend;

// Gather / index_select and their accumulating adjoints, and the range check of an index tensor.
internal sealed partial class GpuBackend
{
    // Below this many independent lines (columns) the deterministic adjoints leave a GPU mostly idle; with long
    // enough lines the atomic forms run instead on CUDA.
    private const long FewLines = 4096;
    private const long LongLine = 32;

    public void Gather(StorageView x, StorageView index, int dim, StorageView y)
    {
        lock (Gate)
        {
            switch (x.DType)
            {
                case DType.Float32: Gather<float>(x, index, dim, y); break;
                case DType.Float64: Gather<double>(x, index, dim, y); break;
                case DType.Int64: Gather<long>(x, index, dim, y); break;
                default: Gather<byte>(x, index, dim, y); break;
            }
        }
    }

    private void Gather<T>(StorageView x, StorageView index, int dim, StorageView y) where T : unmanaged
    {
        long n = y.Numel;
        if (n == 0)
            return;
        // base(p): x's strides over index's shape, without the gathered dim.
        var bases = StridedLayout.Create(Longs(index.Shape), Longs(x.Strides, zeroAt: dim), x.Offset);
        Gpu.Kernel<ArrayView<T>, ArrayView<long>, ArrayView<T>, StridedLayout, long, long>(IndexKernels.Gather)(
            Gpu.Stream, Gpu.GridStride(n), Whole<T>(x), Dense<long>(index), Dense<T>(y), bases, x.Strides[dim], n);
    }

    public void ScatterAdd(StorageView g, StorageView index, int dim, StorageView gx)
    {
        lock (Gate)
        {
            if (g.DType == DType.Float32)
                ScatterAdd<float, AtomicAddFloat>(g, index, dim, gx);
            else
                ScatterAdd<double, AtomicAddDouble>(g, index, dim, gx);
        }
    }

    private void ScatterAdd<T, TAtomic>(StorageView g, StorageView index, int dim, StorageView gx)
        where T : unmanaged, System.Numerics.INumber<T> where TAtomic : struct, IAtomicAdd<T>
    {
        long n = index.Numel;
        if (n == 0)
            return;
        long length = index.Shape[dim], lines = n / length;
        var indexStrides = ShapeUtil.ContiguousStrides(index.Shape);
        if (!Gpu.IsCpu && lines < FewLines && length >= LongLine)
        {
            var bases = StridedLayout.Create(Longs(index.Shape), Longs(gx.Strides, zeroAt: dim), 0);
            Gpu.Kernel<ArrayView<T>, ArrayView<long>, ArrayView<T>, StridedLayout, long, long>(IndexKernels.ScatterAddAtomic<T, TAtomic>)(
                Gpu.Stream, Gpu.GridStride(n), Dense<T>(g), Dense<long>(index), Dense<T>(gx), bases, gx.Strides[dim], n);
            return;
        }
        // A line: every position of index's shape except along dim (size 1 there).
        var lineSizes = Longs(index.Shape);
        lineSizes[dim] = 1;
        var sourceLines = StridedLayout.Create(lineSizes, Longs(indexStrides), 0);
        var targetLines = StridedLayout.Create(lineSizes, Longs(gx.Strides, zeroAt: dim), 0);
        Gpu.Kernel<ArrayView<T>, ArrayView<long>, ArrayView<T>, StridedLayout, StridedLayout, long, long, long, long>(IndexKernels.ScatterAddLines)(
            Gpu.Stream, Gpu.GridStride(lines), Dense<T>(g), Dense<long>(index), Dense<T>(gx), sourceLines, targetLines, lines, length,
            indexStrides[dim], gx.Strides[dim]);
    }

    public void IndexSelect(StorageView src, int outer, int size, int inner, StorageView index, StorageView y)
    {
        lock (Gate)
        {
            switch (src.DType)
            {
                case DType.Float32: IndexSelect<float>(src, size, inner, index, y); break;
                case DType.Float64: IndexSelect<double>(src, size, inner, index, y); break;
                case DType.Int64: IndexSelect<long>(src, size, inner, index, y); break;
                default: IndexSelect<byte>(src, size, inner, index, y); break;
            }
        }
    }

    private void IndexSelect<T>(StorageView src, int size, int inner, StorageView index, StorageView y) where T : unmanaged
    {
        int n = y.Numel;
        if (n == 0)
            return;
        Gpu.Kernel<ArrayView<T>, ArrayView<long>, ArrayView<T>, int, int, int, int>(IndexKernels.IndexSelect)(
            Gpu.Stream, Gpu.GridStride(n), Dense<T>(src), Dense<long>(index), Dense<T>(y), size, index.Numel, inner, n);
    }

    public void IndexAdd(StorageView g, int outer, int size, int inner, StorageView index, StorageView gx)
    {
        lock (Gate)
        {
            if (g.DType == DType.Float32)
                IndexAdd<float, AtomicAddFloat>(g, outer, size, inner, index, gx);
            else
                IndexAdd<double, AtomicAddDouble>(g, outer, size, inner, index, gx);
        }
    }

    private void IndexAdd<T, TAtomic>(StorageView g, int outer, int size, int inner, StorageView index, StorageView gx)
        where T : unmanaged, System.Numerics.INumber<T> where TAtomic : struct, IAtomicAdd<T>
    {
        int count = index.Numel, columns = outer * inner, n = g.Numel;
        if (n == 0)
            return;
        if (!Gpu.IsCpu && columns < FewLines && count >= LongLine)
        {
            Gpu.Kernel<ArrayView<T>, ArrayView<long>, ArrayView<T>, int, int, int, int>(IndexKernels.IndexAddAtomic<T, TAtomic>)(
                Gpu.Stream, Gpu.GridStride(n), Dense<T>(g), Dense<long>(index), Dense<T>(gx), size, count, inner, n);
            return;
        }
        Gpu.Kernel<ArrayView<T>, ArrayView<long>, ArrayView<T>, int, int, int, int>(IndexKernels.IndexAddColumns)(
            Gpu.Stream, Gpu.GridStride(columns), Dense<T>(g), Dense<long>(index), Dense<T>(gx), size, count, inner, columns);
    }

    public (long Position, long Value)? FindOutOfRange(StorageView index, long size)
    {
        lock (Gate)
        {
            long n = index.Numel;
            if (n == 0)
                return null;
            var layout = StridedLayout.Create(Longs(index.Shape), Longs(index.Strides), index.Offset);
            using var result = Gpu.Allocate<long>(2);
            var r = result.View<long>();
            Gpu.Fill(r, long.MaxValue);
            Gpu.Kernel<ArrayView<long>, StridedLayout, long, long, ArrayView<long>>(RangeCheckKernels.FirstOutside)(
                Gpu.Stream, Gpu.GridStride(n), Whole<long>(index), layout, n, size, r);
            Gpu.Kernel<ArrayView<long>, StridedLayout, ArrayView<long>>(RangeCheckKernels.ValueAt)(
                Gpu.Stream, Gpu.Grouped(1, 1), Whole<long>(index), layout, r);
            Span<long> found = stackalloc long[2];
            Gpu.CopyToHost(r, found);
            return found[0] == long.MaxValue ? null : (found[0], found[1]);
        }
    }

    // Sizes or strides as longs, optionally with one entry zeroed.
    private static long[] Longs(int[] values, int zeroAt = -1)
    {
        var result = new long[values.Length];
        for (int d = 0; d < values.Length; d++)
            result[d] = d == zeroAt ? 0 : values[d];
        return result;
    }
}

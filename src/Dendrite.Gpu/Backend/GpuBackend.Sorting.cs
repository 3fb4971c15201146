using Dendrite.Backends;
using Dendrite.Gpu.Kernels.Sorting;
using ILGPU;

namespace Dendrite.Gpu.Backend;

// torch.sort: ⌈log₂ size⌉ merge passes over the whole block, ping-ponging between the outputs and a scratch pair so
// that the last pass lands in the outputs.
internal sealed partial class GpuBackend
{
    public void Sort(StorageView x, int outer, int size, int inner, bool descending, StorageView values, StorageView indices)
    {
        lock (Gate)
        {
            switch (x.DType)
            {
                case DType.Float32: Sort<float, FloatSortKey>(x, size, inner, descending, values, indices); break;
                case DType.Float64: Sort<double, DoubleSortKey>(x, size, inner, descending, values, indices); break;
                case DType.Int64: Sort<long, LongSortKey>(x, size, inner, descending, values, indices); break;
                default: Sort<byte, BoolSortKey>(x, size, inner, descending, values, indices); break;
            }
        }
    }

    private void Sort<T, TKey>(StorageView x, int size, int inner, bool descending, StorageView values, StorageView indices)
        where T : unmanaged where TKey : struct, ISortKey<T>
    {
        long n = x.Numel;
        if (n == 0)
            return;
        int passes = 0;
        for (long w = 1; w < size; w *= 2)
            passes++;
        passes = Math.Max(passes, 1);
        var outKeys = Dense<T>(values);
        var outIdx = Dense<long>(indices);
        using var scratchKeys = passes > 1 ? Gpu.Allocate<T>(n) : null;
        using var scratchIdx = passes > 1 ? Gpu.Allocate<long>(n) : null;
        var srcKeys = Dense<T>(x);
        var srcIdx = outIdx;     // not read by the first pass
        var launch = Gpu.GridStride(n);
        var kernel = Gpu.Kernel<ArrayView<T>, ArrayView<long>, ArrayView<T>, ArrayView<long>, SortPass>(SortKernels.MergePass<T, TKey>);
        for (int k = 0; k < passes; k++)
        {
            bool toOutput = (passes - 1 - k) % 2 == 0;
            var dstKeys = toOutput ? outKeys : scratchKeys!.View<T>();
            var dstIdx = toOutput ? outIdx : scratchIdx!.View<long>();
            var pass = new SortPass
            {
                N = n,
                Size = size,
                Inner = inner,
                Width = 1 << k,
                Descending = descending ? 1 : 0,
                First = k == 0 ? 1 : 0,
            };
            kernel(Gpu.Stream, launch, srcKeys, srcIdx, dstKeys, dstIdx, pass);
            srcKeys = dstKeys;
            srcIdx = dstIdx;
        }
    }
}

namespace Dendrite.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Gather(StorageView x, StorageView index, int dim, StorageView y)
    {
        var idx = index.Span<long>();
        switch (x.DType)
        {
            case DType.Float32: IndexKernel.Gather(x.Array<float>(), x.Offset, x.Strides, idx, index.Shape, dim, y.Span<float>()); break;
            case DType.Float64: IndexKernel.Gather(x.Array<double>(), x.Offset, x.Strides, idx, index.Shape, dim, y.Span<double>()); break;
            case DType.Int64: IndexKernel.Gather(x.Array<long>(), x.Offset, x.Strides, idx, index.Shape, dim, y.Span<long>()); break;
            default: IndexKernel.Gather(x.Array<bool>(), x.Offset, x.Strides, idx, index.Shape, dim, y.Span<bool>()); break;
        }
    }

    public void ScatterAdd(StorageView g, StorageView index, int dim, StorageView gx)
    {
        if (g.DType == DType.Float32)
            IndexKernel.ScatterAdd(g.Span<float>(), index.Span<long>(), index.Shape, dim, gx.Span<float>(), gx.Strides);
        else
            IndexKernel.ScatterAdd(g.Span<double>(), index.Span<long>(), index.Shape, dim, gx.Span<double>(), gx.Strides);
    }

    public void IndexSelect(StorageView src, int outer, int size, int inner, StorageView index, StorageView y)
    {
        var idx = index.Span<long>();
        switch (src.DType)
        {
            case DType.Float32: IndexKernel.IndexSelect(src.Span<float>(), outer, size, inner, idx, y.Span<float>()); break;
            case DType.Float64: IndexKernel.IndexSelect(src.Span<double>(), outer, size, inner, idx, y.Span<double>()); break;
            case DType.Int64: IndexKernel.IndexSelect(src.Span<long>(), outer, size, inner, idx, y.Span<long>()); break;
            default: IndexKernel.IndexSelect(src.Span<bool>(), outer, size, inner, idx, y.Span<bool>()); break;
        }
    }

    public void IndexAdd(StorageView g, int outer, int size, int inner, StorageView index, StorageView gx)
    {
        if (g.DType == DType.Float32)
            IndexKernel.IndexAdd(g.Span<float>(), outer, size, inner, index.Span<long>(), gx.Span<float>());
        else
            IndexKernel.IndexAdd(g.Span<double>(), outer, size, inner, index.Span<long>(), gx.Span<double>());
    }

    public (long Position, long Value)? FindOutOfRange(StorageView index, long size)
    {
        var values = index.IsContiguous ? index.Span<long>() : GatherNew<long>(index);
        for (int i = 0; i < values.Length; i++)
        {
            long v = values[i];
            if ((ulong)v >= (ulong)size)
                return (i, v);
        }
        return null;
    }
}

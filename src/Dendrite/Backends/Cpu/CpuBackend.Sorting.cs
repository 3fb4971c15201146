namespace Dendrite.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Sort(StorageView x, int outer, int size, int inner, bool descending, StorageView values, StorageView indices)
    {
        if (!x.IsContiguous || !values.IsContiguous || !indices.IsContiguous)
            StorageView.ThrowNotContiguous();
        var layout = new SortKernel.Layout(outer, size, inner, descending, x.Offset, values.Offset, indices.Offset);
        var idx = indices.Array<long>();
        switch (x.DType)
        {
            case DType.Float32: SortKernel.Sort<float, SortKernel.FloatKey>(x.Array<float>(), values.Array<float>(), idx, layout); break;
            case DType.Float64: SortKernel.Sort<double, SortKernel.DoubleKey>(x.Array<double>(), values.Array<double>(), idx, layout); break;
            case DType.Int64: SortKernel.Sort<long, SortKernel.LongKey>(x.Array<long>(), values.Array<long>(), idx, layout); break;
            default: SortKernel.Sort<bool, SortKernel.BoolKey>(x.Array<bool>(), values.Array<bool>(), idx, layout); break;
        }
    }
}

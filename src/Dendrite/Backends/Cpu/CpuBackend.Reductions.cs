namespace Dendrite.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Sum(StorageView src, int outer, int r, int inner, StorageView dst, double scale)
    {
        switch (src.DType)
        {
            case DType.Float32:
                // Column sums of a [rows, cols] block (a bias gradient): whole-vector columns, rows added in order.
                if (outer == 1 && inner >= ColumnSum.MinWidth && r > 0 && scale == 1)
                    ColumnSum.Run(src.Span<float>(), r, inner, dst.Span<float>());
                else
                    ReduceKernel.Sum(src.Span<float>(), outer, r, inner, dst.Span<float>(), (float)scale);
                break;
            case DType.Float64: ReduceKernel.Sum(src.Span<double>(), outer, r, inner, dst.Span<double>(), scale); break;
            default: ReduceKernel.SumInt64(src.Span<long>(), outer, r, inner, dst.Span<long>()); break;
        }
    }

    public void ArgExtreme(StorageView src, int outer, int r, int inner, StorageView values, StorageView indices, bool max)
    {
        if (src.DType == DType.Float32)
            ReduceKernel.ArgExtreme(src.Span<float>(), outer, r, inner, values.Span<float>(), indices.Span<long>(), max);
        else
            ReduceKernel.ArgExtreme(src.Span<double>(), outer, r, inner, values.Span<double>(), indices.Span<long>(), max);
    }

    public void ScatterArg(StorageView g, StorageView indices, int outer, int r, int inner, StorageView gx)
    {
        if (g.DType == DType.Float32)
        {
            gx.Span<float>().Clear();
            ReduceKernel.ScatterArg(g.Span<float>(), indices.Span<long>(), outer, r, inner, gx.Span<float>());
        }
        else
        {
            gx.Span<double>().Clear();
            ReduceKernel.ScatterArg(g.Span<double>(), indices.Span<long>(), outer, r, inner, gx.Span<double>());
        }
    }

    public void Moments(StorageView src, int outer, int r, int inner, StorageView mean, StorageView variance, int ddof)
    {
        int scratch = Math.Max(r, inner);
        if (src.DType == DType.Float32)
            ReduceKernel.Moments(src.Span<float>(), outer, r, inner, mean.Span<float>(), variance.Span<float>(), ddof, new float[scratch]);
        else
            ReduceKernel.Moments(src.Span<double>(), outer, r, inner, mean.Span<double>(), variance.Span<double>(), ddof, new double[scratch]);
    }

    public void LogSumExp(StorageView src, int outer, int r, int inner, StorageView dst)
    {
        if (src.DType == DType.Float32)
            SoftmaxKernel.LogSumExp(src.Span<float>(), outer, r, inner, dst.Span<float>());
        else
            SoftmaxKernel.LogSumExp(src.Span<double>(), outer, r, inner, dst.Span<double>());
    }

    public void Softmax(StorageView src, int outer, int r, int inner, StorageView dst, bool log)
    {
        if (src.DType == DType.Float32)
            SoftmaxKernel.Forward(src.Span<float>(), outer, r, inner, dst.Span<float>(), log);
        else
            SoftmaxKernel.Forward(src.Span<double>(), outer, r, inner, dst.Span<double>(), log);
    }

    public void SoftmaxBackward(StorageView g, StorageView y, int outer, int r, int inner, StorageView gx, bool log)
    {
        if (y.DType == DType.Float32)
            SoftmaxKernel.Backward(g.Span<float>(), y.Span<float>(), outer, r, inner, gx.Span<float>(), log);
        else
            SoftmaxKernel.Backward(g.Span<double>(), y.Span<double>(), outer, r, inner, gx.Span<double>(), log);
    }
}

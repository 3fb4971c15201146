using Dendrite.Backends;
using Dendrite.Gpu.Kernels.Elementwise;
using Dendrite.Gpu.Kernels.Reductions;

namespace Dendrite.Gpu.Backend;

// Reductions over the middle dimension of dense [outer, r, inner] blocks, each one fused launch.
internal sealed partial class GpuBackend
{
    public void Sum(StorageView src, int outer, int r, int inner, StorageView dst, double scale)
    {
        lock (Gate)
        {
            switch (src.DType)
            {
                case DType.Float32: RowReductions.Sum(Gpu, Dense<float>(src), Dense<float>(dst), outer, r, inner, (float)scale); break;
                case DType.Float64: RowReductions.Sum(Gpu, Dense<double>(src), Dense<double>(dst), outer, r, inner, scale); break;
                case DType.Int64: RowReductions.Sum(Gpu, Dense<long>(src), Dense<long>(dst), outer, r, inner, 1L); break;
                default: throw new ArgumentException($"Sum: {src.DType} is not summed on {Device} (convert to Int64 first).");
            }
        }
    }

    public void ArgExtreme(StorageView src, int outer, int r, int inner, StorageView values, StorageView indices, bool max)
    {
        lock (Gate)
        {
            long block = (long)r * inner;
            if (src.DType == DType.Float32)
            {
                if (max)
                    Reductions.ArgMiddle(Gpu, Dense<float>(src), outer, r, inner, block, inner, 1, Dense<float>(values), Dense<long>(indices), new ArgMaxOp<float>());
                else
                    Reductions.ArgMiddle(Gpu, Dense<float>(src), outer, r, inner, block, inner, 1, Dense<float>(values), Dense<long>(indices), new ArgMinOp<float>());
            }
            else if (max)
                Reductions.ArgMiddle(Gpu, Dense<double>(src), outer, r, inner, block, inner, 1, Dense<double>(values), Dense<long>(indices), new ArgMaxOp<double>());
            else
                Reductions.ArgMiddle(Gpu, Dense<double>(src), outer, r, inner, block, inner, 1, Dense<double>(values), Dense<long>(indices), new ArgMinOp<double>());
        }
    }

    public void ScatterArg(StorageView g, StorageView indices, int outer, int r, int inner, StorageView gx)
    {
        lock (Gate)
        {
            if (g.DType == DType.Float32)
                RowReductions.ScatterArg(Gpu, Dense<float>(g), Dense<long>(indices), Dense<float>(gx), outer, r, inner);
            else
                RowReductions.ScatterArg(Gpu, Dense<double>(g), Dense<long>(indices), Dense<double>(gx), outer, r, inner);
        }
    }

    public void Moments(StorageView src, int outer, int r, int inner, StorageView mean, StorageView variance, int ddof)
    {
        lock (Gate)
        {
            if (src.DType == DType.Float32)
                RowReductions.Moments(Gpu, Dense<float>(src), Dense<float>(mean), Dense<float>(variance), outer, r, inner, ddof);
            else
                RowReductions.Moments(Gpu, Dense<double>(src), Dense<double>(mean), Dense<double>(variance), outer, r, inner, ddof);
        }
    }

    public void LogSumExp(StorageView src, int outer, int r, int inner, StorageView dst)
    {
        lock (Gate)
        {
            if (src.DType == DType.Float32)
                RowReductions.LogSumExp<float, Real32>(Gpu, Dense<float>(src), Dense<float>(dst), outer, r, inner);
            else
                RowReductions.LogSumExp<double, Real64>(Gpu, Dense<double>(src), Dense<double>(dst), outer, r, inner);
        }
    }

    public void Softmax(StorageView src, int outer, int r, int inner, StorageView dst, bool log)
    {
        lock (Gate)
        {
            if (src.DType == DType.Float32)
                RowReductions.Softmax<float, Real32>(Gpu, Dense<float>(src), Dense<float>(dst), outer, r, inner, log);
            else
                RowReductions.Softmax<double, Real64>(Gpu, Dense<double>(src), Dense<double>(dst), outer, r, inner, log);
        }
    }

    public void SoftmaxBackward(StorageView g, StorageView y, int outer, int r, int inner, StorageView gx, bool log)
    {
        lock (Gate)
        {
            if (y.DType == DType.Float32)
                RowReductions.SoftmaxBackward<float, Real32>(Gpu, Dense<float>(g), Dense<float>(y), Dense<float>(gx), outer, r, inner, log);
            else
                RowReductions.SoftmaxBackward<double, Real64>(Gpu, Dense<double>(g), Dense<double>(y), Dense<double>(gx), outer, r, inner, log);
        }
    }
}

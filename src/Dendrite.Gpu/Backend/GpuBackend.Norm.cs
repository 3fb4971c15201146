using Dendrite.Backends;
using Dendrite.Gpu.Kernels;
using Dendrite.Gpu.Kernels.Norm;
using ILGPU;

namespace Dendrite.Gpu.Backend;

// Batch and layer normalization (Kernels/Norm): per-channel and per-row reductions on the device, in a fixed order;
// the Float64 statistics and sums stay on the device for the next kernel.
internal sealed partial class GpuBackend
{
    public void BatchNormStatistics(StorageView x, int n, int c, int s, StorageView mean, StorageView variance)
    {
        lock (Gate)
        {
            switch (x.DType)
            {
                case DType.Float32:
                    BatchNormalization.Statistics<float, Float32Real>(Gpu, Dense<float>(x), n, c, s, Dense<double>(mean), Dense<double>(variance));
                    break;
                case DType.Float64:
                    BatchNormalization.Statistics<double, Float64Real>(Gpu, Dense<double>(x), n, c, s, Dense<double>(mean), Dense<double>(variance));
                    break;
                default: throw FloatingOnly("BatchNormStatistics", x.DType);
            }
        }
    }

    public void BatchNorm(StorageView x, int n, int c, int s, StorageView mean, StorageView invStd, StorageView? gamma, StorageView? beta,
        StorageView y)
    {
        lock (Gate)
        {
            ArrayView<double> mu = Dense<double>(mean), inv = Dense<double>(invStd);
            ArrayView<double>? ga = DenseOrNull<double>(gamma), be = DenseOrNull<double>(beta);
            switch (x.DType)
            {
                case DType.Float32:
                    BatchNormalization.Normalize<float, Float32Real>(Gpu, Dense<float>(x), n, c, s, mu, inv, ga, be, Dense<float>(y));
                    break;
                case DType.Float64:
                    BatchNormalization.Normalize<double, Float64Real>(Gpu, Dense<double>(x), n, c, s, mu, inv, ga, be, Dense<double>(y));
                    break;
                default: throw FloatingOnly("BatchNorm", x.DType);
            }
        }
    }

    public void BatchNormBackward(StorageView x, StorageView gy, int n, int c, int s, StorageView mean, StorageView invStd,
        StorageView? gamma, bool training, StorageView sumG, StorageView sumGxhat, StorageView? dx)
    {
        lock (Gate)
        {
            ArrayView<double> mu = Dense<double>(mean), inv = Dense<double>(invStd), sg = Dense<double>(sumG), sgx = Dense<double>(sumGxhat);
            ArrayView<double>? ga = DenseOrNull<double>(gamma);
            switch (x.DType)
            {
                case DType.Float32:
                    BatchNormalization.Backward<float, Float32Real>(Gpu, Dense<float>(x), Dense<float>(gy), n, c, s, mu, inv, ga, training, sg, sgx,
                        DenseOrNull<float>(dx));
                    break;
                case DType.Float64:
                    BatchNormalization.Backward<double, Float64Real>(Gpu, Dense<double>(x), Dense<double>(gy), n, c, s, mu, inv, ga, training, sg, sgx,
                        DenseOrNull<double>(dx));
                    break;
                default: throw FloatingOnly("BatchNormBackward", x.DType);
            }
        }
    }

    public void LayerNorm(StorageView x, StorageView? gamma, StorageView? beta, int rows, int d, double eps, StorageView y,
        StorageView mean, StorageView invStd)
    {
        lock (Gate)
        {
            switch (x.DType)
            {
                case DType.Float32:
                    LayerNormalization.Forward<float, Float32Real>(Gpu, Dense<float>(x), DenseOrNull<float>(gamma), DenseOrNull<float>(beta), rows, d, eps,
                        Dense<float>(y), Dense<float>(mean), Dense<float>(invStd));
                    break;
                case DType.Float64:
                    LayerNormalization.Forward<double, Float64Real>(Gpu, Dense<double>(x), DenseOrNull<double>(gamma), DenseOrNull<double>(beta), rows, d, eps,
                        Dense<double>(y), Dense<double>(mean), Dense<double>(invStd));
                    break;
                default: throw FloatingOnly("LayerNorm", x.DType);
            }
        }
    }

    public void LayerNormBackward(StorageView x, StorageView gy, StorageView? gamma, StorageView mean, StorageView invStd, int rows, int d,
        StorageView? dx, StorageView? dGamma, StorageView? dBeta)
    {
        lock (Gate)
        {
            switch (x.DType)
            {
                case DType.Float32:
                    LayerNormalization.Backward<float, Float32Real>(Gpu, Dense<float>(x), Dense<float>(gy), DenseOrNull<float>(gamma), Dense<float>(mean),
                        Dense<float>(invStd), rows, d, DenseOrNull<float>(dx), DenseOrNull<float>(dGamma), DenseOrNull<float>(dBeta));
                    break;
                case DType.Float64:
                    LayerNormalization.Backward<double, Float64Real>(Gpu, Dense<double>(x), Dense<double>(gy), DenseOrNull<double>(gamma),
                        Dense<double>(mean), Dense<double>(invStd), rows, d, DenseOrNull<double>(dx), DenseOrNull<double>(dGamma), DenseOrNull<double>(dBeta));
                    break;
                default: throw FloatingOnly("LayerNormBackward", x.DType);
            }
        }
    }
}

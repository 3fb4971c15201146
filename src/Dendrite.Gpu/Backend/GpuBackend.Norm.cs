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
                    BatchNormalization.Statistics<float, FloatOps>(Gpu, Dense<float>(x), n, c, s, Dense<double>(mean), Dense<double>(variance));
                    break;
                case DType.Float64:
                    BatchNormalization.Statistics<double, DoubleOps>(Gpu, Dense<double>(x), n, c, s, Dense<double>(mean), Dense<double>(variance));
                    break;
                default: throw Unsupported("BatchNormStatistics", x.DType);
            }
        }
    }

    public void BatchNorm(StorageView x, int n, int c, int s, StorageView mean, StorageView invStd, StorageView? gamma, StorageView? beta,
        StorageView y)
    {
        lock (Gate)
        {
            ArrayView<double> mu = Dense<double>(mean), inv = Dense<double>(invStd);
            ArrayView<double>? ga = Optional<double>(gamma), be = Optional<double>(beta);
            switch (x.DType)
            {
                case DType.Float32:
                    BatchNormalization.Normalize<float, FloatOps>(Gpu, Dense<float>(x), n, c, s, mu, inv, ga, be, Dense<float>(y));
                    break;
                case DType.Float64:
                    BatchNormalization.Normalize<double, DoubleOps>(Gpu, Dense<double>(x), n, c, s, mu, inv, ga, be, Dense<double>(y));
                    break;
                default: throw Unsupported("BatchNorm", x.DType);
            }
        }
    }

    public void BatchNormBackward(StorageView x, StorageView gy, int n, int c, int s, StorageView mean, StorageView invStd,
        StorageView? gamma, bool training, StorageView sumG, StorageView sumGxhat, StorageView? dx)
    {
        lock (Gate)
        {
            ArrayView<double> mu = Dense<double>(mean), inv = Dense<double>(invStd), sg = Dense<double>(sumG), sgx = Dense<double>(sumGxhat);
            ArrayView<double>? ga = Optional<double>(gamma);
            switch (x.DType)
            {
                case DType.Float32:
                    BatchNormalization.Backward<float, FloatOps>(Gpu, Dense<float>(x), Dense<float>(gy), n, c, s, mu, inv, ga, training, sg, sgx,
                        Optional<float>(dx));
                    break;
                case DType.Float64:
                    BatchNormalization.Backward<double, DoubleOps>(Gpu, Dense<double>(x), Dense<double>(gy), n, c, s, mu, inv, ga, training, sg, sgx,
                        Optional<double>(dx));
                    break;
                default: throw Unsupported("BatchNormBackward", x.DType);
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
                    LayerNormalization.Forward<float, FloatOps>(Gpu, Dense<float>(x), Optional<float>(gamma), Optional<float>(beta), rows, d, eps,
                        Dense<float>(y), Dense<float>(mean), Dense<float>(invStd));
                    break;
                case DType.Float64:
                    LayerNormalization.Forward<double, DoubleOps>(Gpu, Dense<double>(x), Optional<double>(gamma), Optional<double>(beta), rows, d, eps,
                        Dense<double>(y), Dense<double>(mean), Dense<double>(invStd));
                    break;
                default: throw Unsupported("LayerNorm", x.DType);
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
                    LayerNormalization.Backward<float, FloatOps>(Gpu, Dense<float>(x), Dense<float>(gy), Optional<float>(gamma), Dense<float>(mean),
                        Dense<float>(invStd), rows, d, Optional<float>(dx), Optional<float>(dGamma), Optional<float>(dBeta));
                    break;
                case DType.Float64:
                    LayerNormalization.Backward<double, DoubleOps>(Gpu, Dense<double>(x), Dense<double>(gy), Optional<double>(gamma),
                        Dense<double>(mean), Dense<double>(invStd), rows, d, Optional<double>(dx), Optional<double>(dGamma), Optional<double>(dBeta));
                    break;
                default: throw Unsupported("LayerNormBackward", x.DType);
            }
        }
    }
}

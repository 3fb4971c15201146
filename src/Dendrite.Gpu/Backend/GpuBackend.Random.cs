using Dendrite.Backends;
using Dendrite.Gpu.Kernels.Random;

namespace Dendrite.Gpu.Backend;

// Counter-based random fills: element i uses raw output counter + i + 1 (normals 2i + 1, 2i + 2) of the generator's
// stream, which the caller has already claimed, so the device draws the CPU's numbers.
internal sealed partial class GpuBackend
{
    public void FillUniform(StorageView dst, ulong seed, ulong counter, double low, double high)
    {
        lock (Gate)
        {
            if (dst.DType == DType.Float32)
                RandomFill.Uniform(Gpu, Dense<float>(dst), seed, counter, low, high);
            else
                RandomFill.Uniform(Gpu, Dense<double>(dst), seed, counter, low, high);
        }
    }

    public void FillNormal(StorageView dst, ulong seed, ulong counter, double mean, double std)
    {
        lock (Gate)
        {
            if (dst.DType == DType.Float32)
                RandomFill.Normal(Gpu, Dense<float>(dst), seed, counter, mean, std);
            else
                RandomFill.Normal(Gpu, Dense<double>(dst), seed, counter, mean, std);
        }
    }

    public void FillDropoutMask(StorageView dst, ulong seed, ulong counter, double p, double scale)
    {
        lock (Gate)
        {
            // p ≥ 1 keeps nothing (the threshold ⌈p·2⁵³⌉ exceeds every 53-bit draw).
            if (!(p < 1))
            {
                if (dst.DType == DType.Float32)
                    Gpu.Fill(Dense<float>(dst), 0f);
                else
                    Gpu.Fill(Dense<double>(dst), 0.0);
                return;
            }
            if (dst.DType == DType.Float32)
                RandomFill.DropoutMask(Gpu, Dense<float>(dst), seed, counter, p, (float)scale);
            else
                RandomFill.DropoutMask(Gpu, Dense<double>(dst), seed, counter, p, scale);
        }
    }
}

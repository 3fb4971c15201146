using ILGPU;

namespace Dendrite.Gpu.Kernels.Random;

/// <summary>
/// Random fills that reproduce <c>Dendrite.Generator</c>: element i of a fill that starts after counter c uses
/// output c + i + 1 (normals: outputs c + 2i + 1 and c + 2i + 2). The host passes (seed, c) and advances the
/// generator's counter by the outputs used, so a GPU fill and a CPU fill of the same stream agree.
/// </summary>
internal static class RandomKernels
{
    /// <summary>y[i] = output c + i + 1 (the raw 64-bit stream).</summary>
    [GpuKernel]
    public static void Raw(ArrayView<ulong> y, long n, ulong seed, ulong counter)
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
            y[i] = SplitMix.Output(seed, counter + (ulong)i + 1);
    }

    /// <summary>y[i] = low + (high − low)·u_i, u_i = (output c + i + 1 ≫ 11)·2⁻⁵³, computed in double, rounded to T.</summary>
    [GpuKernel]
    public static void Uniform<T, TConvert>(ArrayView<T> y, long n, ulong seed, ulong counter, double low, double high, TConvert convert)
        where T : unmanaged where TConvert : struct, IFromDouble<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        double range = high - low;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
            y[i] = convert.Convert(low + range * SplitMix.Uniform01(SplitMix.Output(seed, counter + (ulong)i + 1)));
    }

    /// <summary>y[i] = mean + std·z_i with z_i the Box–Muller cosine normal of outputs c + 2i + 1, c + 2i + 2.</summary>
    [GpuKernel]
    public static void Normal<T, TConvert>(ArrayView<T> y, long n, ulong seed, ulong counter, double mean, double std, TConvert convert)
        where T : unmanaged where TConvert : struct, IFromDouble<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            ulong k = counter + 2 * (ulong)i;
            double z = SplitMix.Normal(SplitMix.Output(seed, k + 1), SplitMix.Output(seed, k + 2));
            y[i] = convert.Convert(mean + std * z);
        }
    }

    /// <summary>
    /// Inverted-dropout mask: y[i] = scale when (output c + i + 1) ≫ 11 ≥ threshold (= ⌈p·2⁵³⌉, i.e. u ≥ p), else 0.
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void DropoutMask<T>(ArrayView<T> y, long n, ulong seed, ulong counter, ulong threshold, T scale)
        where T : unmanaged
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
            y[i] = SplitMix.Output(seed, counter + (ulong)i + 1) >> 11 >= threshold ? scale : default;
    }
}

using Dendrite.Gpu.Runtime;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Random;

/// <summary>
/// Host entry points of the random fills. Each takes the generator's (seed, counter) before the fill and returns
/// the counter after it (counter + outputs used), which the caller stores back into the generator.
/// </summary>
internal static class RandomFill
{
    /// <summary>y[i] = raw output counter + i + 1. Returns counter + n.</summary>
    public static ulong Raw(GpuDevice device, ArrayView<ulong> y, ulong seed, ulong counter)
    {
        if (y.Length > 0)
            device.Kernel<ArrayView<ulong>, long, ulong, ulong>(RandomKernels.Raw)(device.Stream, device.GridStride(y.Length), y, y.Length, seed, counter);
        return counter + (ulong)y.Length;
    }

    /// <summary>Uniforms in [low, high) (float or double elements). Returns counter + n.</summary>
    public static ulong Uniform<T>(GpuDevice device, ArrayView<T> y, ulong seed, ulong counter, double low, double high) where T : unmanaged
    {
        if (y.Length > 0)
        {
            if (typeof(T) == typeof(float))
                device.Kernel<ArrayView<float>, long, ulong, ulong, double, double, ToFloat>(RandomKernels.Uniform)(
                    device.Stream, device.GridStride(y.Length), y.Cast<float>(), y.Length, seed, counter, low, high, default);
            else if (typeof(T) == typeof(double))
                device.Kernel<ArrayView<double>, long, ulong, ulong, double, double, ToDouble>(RandomKernels.Uniform)(
                    device.Stream, device.GridStride(y.Length), y.Cast<double>(), y.Length, seed, counter, low, high, default);
            else
                throw Unsupported(device, "uniform", typeof(T));
        }
        return counter + (ulong)y.Length;
    }

    /// <summary>Normals of the given mean and std (float or double elements). Returns counter + 2n.</summary>
    public static ulong Normal<T>(GpuDevice device, ArrayView<T> y, ulong seed, ulong counter, double mean, double std) where T : unmanaged
    {
        if (y.Length > 0)
        {
            if (typeof(T) == typeof(float))
                device.Kernel<ArrayView<float>, long, ulong, ulong, double, double, ToFloat>(RandomKernels.Normal)(
                    device.Stream, device.GridStride(y.Length), y.Cast<float>(), y.Length, seed, counter, mean, std, default);
            else if (typeof(T) == typeof(double))
                device.Kernel<ArrayView<double>, long, ulong, ulong, double, double, ToDouble>(RandomKernels.Normal)(
                    device.Stream, device.GridStride(y.Length), y.Cast<double>(), y.Length, seed, counter, mean, std, default);
            else
                throw Unsupported(device, "normal", typeof(T));
        }
        return counter + 2 * (ulong)y.Length;
    }

    /// <summary>
    /// Inverted-dropout mask with drop probability <paramref name="p"/> in [0, 1): kept elements are
    /// <paramref name="scale"/> (usually 1/(1 − p)), dropped ones 0. Returns counter + n.
    /// </summary>
    public static ulong DropoutMask<T>(GpuDevice device, ArrayView<T> y, ulong seed, ulong counter, double p, T scale) where T : unmanaged
    {
        if (!(p >= 0 && p < 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"{device.Name}: dropout mask: p must be in [0, 1).");
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw Unsupported(device, "dropout mask", typeof(T));
        if (y.Length > 0)
        {
            // u ≥ p  ⇔  (r ≫ 11) ≥ ⌈p·2⁵³⌉: the integer comparison of the CPU path.
            ulong threshold = (ulong)Math.Ceiling(p * 9007199254740992.0);
            device.Kernel<ArrayView<T>, long, ulong, ulong, ulong, T>(RandomKernels.DropoutMask)(
                device.Stream, device.GridStride(y.Length), y, y.Length, seed, counter, threshold, scale);
        }
        return counter + (ulong)y.Length;
    }

    private static NotSupportedException Unsupported(GpuDevice device, string what, Type type) =>
        new($"{device.Name}: random {what} fills float or double elements, not {type.Name}.");
}

using ILGPU;

namespace Dendrite.Gpu.Kernels.Indexing;

/// <summary>view[at] += value atomically, per element type (a type argument of the atomic kernels).</summary>
internal interface IAtomicAdd<T> where T : unmanaged
{
    /// <summary>Adds <paramref name="value"/> to element <paramref name="at"/> of <paramref name="view"/> atomically.</summary>
    void Add(ArrayView<T> view, long at, T value);
}

/// <summary>Atomic float addition (red.global.add.f32 on CUDA).</summary>
internal readonly struct AtomicAddFloat : IAtomicAdd<float>
{
    /// <inheritdoc/>
    [DeviceFunction]
    public void Add(ArrayView<float> view, long at, float value) => Atomic.Add(ref view[at], value);
}

/// <summary>Atomic double addition (native from sm_60, which ILGPU's PTX backend targets).</summary>
internal readonly struct AtomicAddDouble : IAtomicAdd<double>
{
    /// <inheritdoc/>
    [DeviceFunction]
    public void Add(ArrayView<double> view, long at, double value) => Atomic.Add(ref view[at], value);
}

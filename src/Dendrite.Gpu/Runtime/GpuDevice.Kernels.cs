using ILGPU;
using ILGPU.Runtime;

namespace Dendrite.Gpu.Runtime;

// Typed access to compiled kernels. Every kernel is explicitly grouped: the launcher takes the stream, a
// KernelConfig (grid, group, shared memory) and the kernel's own arguments. Call sites name the argument types,
// e.g. device.Kernel<ArrayView<float>, long>(FillKernels.Fill)(device.Stream, device.GridStride(n), view, n).
internal sealed partial class GpuDevice
{
    /// <summary>The launcher of a kernel with 1 argument, compiled once per device.</summary>
    public Action<AcceleratorStream, KernelConfig, T1> Kernel<T1>(Action<T1> kernel)
        where T1 : struct
    {
        Accelerator.Bind();
        return _kernels.Get<Action<AcceleratorStream, KernelConfig, T1>>(kernel.Method);
    }

    /// <summary>The launcher of a kernel with 2 arguments, compiled once per device.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2> Kernel<T1, T2>(Action<T1, T2> kernel)
        where T1 : struct
        where T2 : struct
    {
        Accelerator.Bind();
        return _kernels.Get<Action<AcceleratorStream, KernelConfig, T1, T2>>(kernel.Method);
    }

    /// <summary>The launcher of a kernel with 3 arguments, compiled once per device.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3> Kernel<T1, T2, T3>(Action<T1, T2, T3> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
    {
        Accelerator.Bind();
        return _kernels.Get<Action<AcceleratorStream, KernelConfig, T1, T2, T3>>(kernel.Method);
    }

    /// <summary>The launcher of a kernel with 4 arguments, compiled once per device.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4> Kernel<T1, T2, T3, T4>(Action<T1, T2, T3, T4> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
    {
        Accelerator.Bind();
        return _kernels.Get<Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4>>(kernel.Method);
    }

    /// <summary>The launcher of a kernel with 5 arguments, compiled once per device.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5> Kernel<T1, T2, T3, T4, T5>(Action<T1, T2, T3, T4, T5> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
    {
        Accelerator.Bind();
        return _kernels.Get<Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5>>(kernel.Method);
    }

    /// <summary>The launcher of a kernel with 6 arguments, compiled once per device.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6> Kernel<T1, T2, T3, T4, T5, T6>(Action<T1, T2, T3, T4, T5, T6> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
    {
        Accelerator.Bind();
        return _kernels.Get<Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6>>(kernel.Method);
    }

    /// <summary>The launcher of a kernel with 7 arguments, compiled once per device.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7> Kernel<T1, T2, T3, T4, T5, T6, T7>(Action<T1, T2, T3, T4, T5, T6, T7> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
        where T7 : struct
    {
        Accelerator.Bind();
        return _kernels.Get<Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7>>(kernel.Method);
    }

    /// <summary>The launcher of a kernel with 8 arguments, compiled once per device.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8> Kernel<T1, T2, T3, T4, T5, T6, T7, T8>(Action<T1, T2, T3, T4, T5, T6, T7, T8> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
        where T7 : struct
        where T8 : struct
    {
        Accelerator.Bind();
        return _kernels.Get<Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8>>(kernel.Method);
    }

    /// <summary>The launcher of a kernel with 9 arguments, compiled once per device.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9> Kernel<T1, T2, T3, T4, T5, T6, T7, T8, T9>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
        where T7 : struct
        where T8 : struct
        where T9 : struct
    {
        Accelerator.Bind();
        return _kernels.Get<Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9>>(kernel.Method);
    }

    /// <summary>The launcher of a kernel with 10 arguments, compiled once per device.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> Kernel<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
        where T7 : struct
        where T8 : struct
        where T9 : struct
        where T10 : struct
    {
        Accelerator.Bind();
        return _kernels.Get<Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>>(kernel.Method);
    }

    /// <summary>The number of kernels compiled for this device so far.</summary>
    public int LoadedKernelCount => _kernels.Count;
}

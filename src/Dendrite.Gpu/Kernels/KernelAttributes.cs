namespace Dendrite.Gpu.Kernels;

// How kernels make themselves known to KernelCatalog (and so to the PTX test and the kernel cache's guard).
//
//   [GpuKernel]                         on every kernel method (explicitly grouped: no index parameter);
//   [KernelInstance(typeof(float))]     on a generic kernel, once per type-argument list to compile;
//   [KernelOperator]                    on an operator interface such as IMapOp<TIn, TOut>: a generic kernel whose
//                                       last type parameter is constrained to it gets one instance per operator
//                                       struct implementing it (no [KernelInstance] needed);
//   [OperatorInstance(typeof(float))]   on a generic operator struct, once per type-argument list;
//   [DeviceFunction]                    on a non-kernel method that uses Grid/Group/Warp/SharedMemory (called from kernels).

/// <summary>Marks an explicitly grouped ILGPU kernel; see <see cref="KernelCatalog"/>.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class GpuKernelAttribute : Attribute
{
    /// <summary>
    /// The PTX must declare no local (per-thread stack) memory: set on kernels whose speed depends on keeping a
    /// register tile in registers, so the PTX test fails if ILGPU ever spills the tile to an array.
    /// </summary>
    public bool RegistersOnly { get; init; }
}

/// <summary>One type-argument list a generic kernel is compiled with.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
internal sealed class KernelInstanceAttribute(params Type[] typeArguments) : Attribute
{
    /// <summary>The type arguments, in the kernel's type-parameter order.</summary>
    public Type[] TypeArguments { get; } = typeArguments;
}

/// <summary>Marks an operator interface whose implementing structs define the instances of operator kernels.</summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
internal sealed class KernelOperatorAttribute : Attribute;

/// <summary>One type-argument list a generic operator struct is closed with.</summary>
[AttributeUsage(AttributeTargets.Struct, AllowMultiple = true, Inherited = false)]
internal sealed class OperatorInstanceAttribute(params Type[] typeArguments) : Attribute
{
    /// <summary>The type arguments, in the operator's type-parameter order.</summary>
    public Type[] TypeArguments { get; } = typeArguments;
}

/// <summary>Marks a helper that uses GPU intrinsics (grid, group, warp, shared memory) and is called from kernels.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class DeviceFunctionAttribute : Attribute;

using Dendrite.Backends;
using ILGPU;

namespace Dendrite.Gpu.Backend;

// Helpers of the convolution, pooling and normalization parts.
internal sealed partial class GpuBackend
{
    /// <summary>The dense elements of an optional view, or null.</summary>
    private static ArrayView<T>? DenseOrNull<T>(StorageView? v) where T : unmanaged => v is { } view ? Dense<T>(view) : null;

    /// <summary>The error for a dtype the floating-point kernels do not take, naming the op and the device.</summary>
    private NotSupportedException FloatingOnly(string op, DType dtype) =>
        new($"{op}: {dtype} is not supported on {Device} (float32 and float64 only).");
}

using Dendrite.Gpu.Kernels.Elementwise;
using Dendrite.Gpu.Memory;
using ILGPU;
using ILGPU.Runtime;

namespace Dendrite.Gpu.Runtime;

// Host <-> device copies and fills. Writes to the device are queued on the stream; a read to the host waits for
// everything queued before it (the only synchronization points of normal work).
internal sealed partial class GpuDevice
{
    /// <summary>Allocates <paramref name="count"/> elements (contents undefined) from the caching allocator.</summary>
    public DeviceBuffer Allocate<T>(long count) where T : unmanaged => Allocator.Allocate<T>(count);

    /// <summary>Allocates a buffer and copies <paramref name="data"/> into it.</summary>
    public DeviceBuffer Upload<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        var buffer = Allocate<T>(data.Length);
        CopyFromHost(data, buffer.View<T>());
        return buffer;
    }

    /// <summary>Copies <paramref name="source"/> (host) into <paramref name="target"/> (device, same length).</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public void CopyFromHost<T>(ReadOnlySpan<T> source, ArrayView<T> target) where T : unmanaged
    {
        if (source.Length != target.Length)
            throw new ArgumentException(
                $"{Name}: copy to device: the host span has {source.Length} elements, the device view {target.Length}.");
        if (source.IsEmpty)
            return;
        Accelerator.Bind();
        // ILGPU queues the copy on the stream and waits for it (the host span may be reused right after).
        target.CopyFromCPU(Stream, source);
    }

    /// <summary>Copies <paramref name="source"/> (device) into <paramref name="target"/> (host); waits for queued work.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public void CopyToHost<T>(ArrayView<T> source, Span<T> target) where T : unmanaged
    {
        if (source.Length != target.Length)
            throw new ArgumentException(
                $"{Name}: copy to host: the device view has {source.Length} elements, the host span {target.Length}.");
        if (target.IsEmpty)
            return;
        Accelerator.Bind();
        source.CopyToCPU(Stream, target);
    }

    /// <summary>The contents of <paramref name="source"/> as a new host array; waits for queued work.</summary>
    public T[] Download<T>(ArrayView<T> source) where T : unmanaged
    {
        var result = new T[source.Length];
        CopyToHost(source, result);
        return result;
    }

    /// <summary>Queues a device-to-device copy of equal-length views.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public void Copy<T>(ArrayView<T> source, ArrayView<T> target) where T : unmanaged
    {
        if (source.Length != target.Length)
            throw new ArgumentException(
                $"{Name}: device copy: the source has {source.Length} elements, the target {target.Length}.");
        if (source.Length == 0)
            return;
        Accelerator.Bind();
        source.CopyTo(Stream, target);
    }

    /// <summary>Queues setting every byte of <paramref name="view"/> to zero (0.0, 0 and false for all element types).</summary>
    public void Zero<T>(ArrayView<T> view) where T : unmanaged
    {
        if (view.Length == 0)
            return;
        Accelerator.Bind();
        view.MemSetToZero(Stream);
    }

    /// <summary>Queues setting every element of <paramref name="view"/> to <paramref name="value"/>.</summary>
    public void Fill<T>(ArrayView<T> view, T value) where T : unmanaged
    {
        if (view.Length == 0)
            return;
        Kernel<ArrayView<T>, long, T>(ElementwiseKernels.Fill)(Stream, GridStride(view.Length), view, view.Length, value);
    }
}

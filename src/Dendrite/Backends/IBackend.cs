namespace Dendrite.Backends;

/// <summary>
/// The kernels of one device: the closed set of primitives every op reaches through the backend of its operands'
/// device (<see cref="Storage.Backend"/>). Kernels see storages and layouts (<see cref="StorageView"/>), never tensors
/// or autograd; fast paths and fusions are chosen inside a backend for the shapes it sees. The CPU backend is
/// <see cref="Cpu.CpuBackend"/>; the GPU backend (Dendrite.Gpu) implements the same interface on ILGPU.
/// </summary>
/// <remarks>
/// Conventions: outputs are allocated by the caller (through <see cref="Allocate"/>) and passed as views; a method
/// that says "dense" expects contiguous views; an op validates shapes, dtypes and devices before it calls a kernel,
/// so kernels only assert what they rely on. A backend may run kernels asynchronously: only the host-reading methods
/// (<see cref="CopyToHost"/>) wait for the results.
/// </remarks>
internal partial interface IBackend
{
    /// <summary>The device this backend runs on.</summary>
    Device Device { get; }

    /// <summary>A new buffer of <paramref name="length"/> elements, zero-filled when <paramref name="zeroed"/>.</summary>
    Storage Allocate(DType dtype, int length, bool zeroed);

    /// <summary>A buffer holding <paramref name="data"/> (a float[], double[], long[] or bool[]); the backend may keep the array itself.</summary>
    Storage FromHost(Array data);

    /// <summary>Copies <paramref name="src"/>'s elements (any layout) in row-major order into <paramref name="dst"/> from <paramref name="dstOffset"/>; waits for pending work.</summary>
    void CopyToHost(StorageView src, Array dst, int dstOffset);

    /// <summary>Writes <paramref name="src"/>'s elements (any layout, same dtype and shape) into <paramref name="dst"/> (any layout, not overlapping src).</summary>
    void Copy(StorageView src, StorageView dst);

    /// <summary>Sets every element of <paramref name="dst"/> (any layout) to <paramref name="value"/> converted to its dtype.</summary>
    void Fill(StorageView dst, double value);

    /// <summary>Converts dense <paramref name="src"/> into dense <paramref name="dst"/> of another dtype (float → int truncates; nonzero → true).</summary>
    void Convert(StorageView src, StorageView dst);

    /// <summary>Takes back a buffer the autograd engine has proven dead, for reuse by later allocations.</summary>
    void Recycle(Storage storage);

    /// <summary>Waits until every kernel launched so far has finished (a no-op for synchronous backends).</summary>
    void Synchronize();
}

using Dendrite.Backends;

namespace Dendrite;

/// <summary>
/// The flat buffer that one or more tensor views share, owned by the backend of one device. Host memory is a
/// <see cref="Backends.Cpu.CpuStorage{T}"/> (a managed array); device memory is a backend's own subclass that exposes
/// no span, so CPU code cannot read it by accident: it must be copied with <see cref="IBackend.CopyToHost"/>.
/// </summary>
internal abstract class Storage
{
    /// <summary>Bumped by every in-place write, so autograd can detect a saved tensor that changed.</summary>
    public int Version;

    /// <summary>
    /// True for a buffer the autograd engine created during backward and still owns exclusively; only such storages
    /// are ever handed back to their backend with <see cref="IBackend.Recycle"/>.
    /// </summary>
    public bool Recyclable;

    /// <summary>How many autograd-engine slots hold this (recyclable) storage during the current backward pass.</summary>
    public int EngineHolds;

    // Plain fields, not virtual properties: every op reads them, and precompiled (ReadyToRun) code pays for each
    // virtual call and static-field access on that path.
    protected Storage(IBackend backend, DType dtype, int length)
    {
        Backend = backend;
        DType = dtype;
        Length = length;
    }

    /// <summary>Number of elements.</summary>
    public readonly int Length;

    /// <summary>The element type.</summary>
    public readonly DType DType;

    /// <summary>The backend that owns this buffer and runs every kernel on it.</summary>
    public readonly IBackend Backend;

    /// <summary>The device the buffer lives on.</summary>
    public Device Device => Backend.Device;
}

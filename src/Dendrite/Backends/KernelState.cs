namespace Dendrite.Backends;

/// <summary>
/// What a backend keeps between a forward kernel and its backward kernel when the backward needs more than the
/// tensors an op saves (a max-pool's arg-max positions, a fused kernel's per-window codes). It lives in the memory of
/// the backend that made it and is opaque to ops: an op holds it, passes it back to that backend's backward kernel,
/// and disposes it when its autograd node is released.
/// </summary>
internal abstract class KernelState : IDisposable
{
    /// <summary>Gives the state's memory back to its backend; the state is not used afterwards.</summary>
    public abstract void Dispose();
}

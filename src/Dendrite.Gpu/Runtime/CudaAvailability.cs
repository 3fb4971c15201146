namespace Dendrite.Gpu.Runtime;

/// <summary>Whether CUDA can be used in this process, and why not when it cannot.</summary>
/// <param name="Available">True when at least one CUDA device can run Dendrite's kernels.</param>
/// <param name="Reason">
/// When unavailable: the first thing that failed (no driver library, <c>cuInit</c> error, no device, unsupported
/// architecture). When available: the driver version and where the library was loaded from.
/// </param>
internal readonly record struct CudaAvailability(bool Available, string Reason);

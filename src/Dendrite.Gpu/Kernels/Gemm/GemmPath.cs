namespace Dendrite.Gpu.Kernels.Gemm;

/// <summary>Which GEMM kernel runs; <see cref="Auto"/> decides by shape and device, the others force one (for tests and benchmarks).</summary>
internal enum GemmPath
{
    /// <summary>Chosen by shape and device (see <see cref="Gemm"/>).</summary>
    Auto,

    /// <summary><see cref="GemmKernels.Simple{T}"/>: 4×4 per thread from global memory, no barriers.</summary>
    Simple,

    /// <summary><see cref="GemmKernels.Tiled{T, TTile}"/> with 64×64 tiles (64 threads).</summary>
    Tiled64,

    /// <summary><see cref="GemmKernels.Tiled{T, TTile}"/> with 128×128 tiles (256 threads).</summary>
    Tiled128,
}

namespace Dendrite.Gpu.Kernels.Gemm;

/// <summary>
/// The shape of a register-tiled GEMM group: ThreadsX × ThreadsY threads, each owning an 8×8 register tile, so a
/// group computes a (8·ThreadsY) × (8·ThreadsX) tile of C with k steps of 8. The values are constants of the
/// struct, so ILGPU folds them into the kernel (shared-memory sizes, load counts).
/// </summary>
internal interface IGemmTile
{
    /// <summary>Threads along n (a multiple of 8: a warp spans 8 threads along n and 4 along m).</summary>
    int ThreadsX { get; }

    /// <summary>Threads along m (a multiple of 4).</summary>
    int ThreadsY { get; }
}

/// <summary>128×128 tile, 256 threads: large matrices on CUDA (each k step: 2 KiB of A and B per group in shared memory for float).</summary>
internal readonly struct Tile128 : IGemmTile
{
    /// <inheritdoc/>
    public int ThreadsX => 16;

    /// <inheritdoc/>
    public int ThreadsY => 16;
}

/// <summary>64×64 tile, 64 threads: mid-size matrices (four times as many groups as <see cref="Tile128"/>).</summary>
internal readonly struct Tile64 : IGemmTile
{
    /// <inheritdoc/>
    public int ThreadsX => 8;

    /// <inheritdoc/>
    public int ThreadsY => 8;
}

using System.Buffers;

namespace Dendrite.Backends.Cpu;

/// <summary>The CPU's <see cref="KernelState"/>: host arrays a forward kernel leaves for its backward kernel.</summary>
internal static class CpuKernelState
{
    /// <summary>The state as <typeparamref name="TState"/>; fails for state made by another backend or kernel.</summary>
    public static TState As<TState>(KernelState state) where TState : KernelState =>
        state as TState ?? throw new InvalidOperationException(
            $"internal: a CPU kernel was given {state.GetType().Name} where {typeof(TState).Name} was expected.");
}

/// <summary>The flat input position of each output's window maximum, [P, OutH, OutW] (max pooling).</summary>
internal sealed class PoolIndices(int[] indices) : KernelState
{
    public int[] Indices { get; } = indices;

    // A plain array, left to the GC.
    public override void Dispose()
    {
    }
}

/// <summary>
/// One code byte per pooling window of the fused Conv → ReLU → MaxPool (see <see cref="ReluMaxPool2x2"/>), rented from
/// the shared array pool and returned on dispose.
/// </summary>
internal sealed class ReluPoolCodes(byte[] codes) : KernelState
{
    private byte[]? _codes = codes;

    public byte[] Codes => _codes ?? throw new ObjectDisposedException(nameof(ReluPoolCodes));

    public override void Dispose()
    {
        if (_codes is { } codes)
            ArrayPool<byte>.Shared.Return(codes);
        _codes = null;
    }
}

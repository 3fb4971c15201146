namespace Dendrite.Gpu.Kernels.Norm;

/// <summary>
/// Batch norm's view of dense x [N, C, S] as the kernels take it, by value. Channel c's M = N·S elements are
/// numbered m = i·S + s (sample i, position s; address (i·C + c)·S + s) and split into <see cref="Chunks"/> chunks
/// of <see cref="ChunkLength"/>; partial results are stored [C, Chunks]. The flags say which optional operands
/// are present.
/// </summary>
internal struct ChannelArgs
{
#pragma warning disable CS1591 // described in the summary
    public int N, C, S, ChunkLength, Chunks;
    public int HasGamma, HasBeta, Training;
#pragma warning restore CS1591

    /// <summary>Elements per channel, N·S.</summary>
    public readonly int PerChannel => N * S;

    /// <summary>The address of element m of channel c.</summary>
    public readonly int Address(int m, int c)
    {
        int i = m / S;
        return (i * C + c) * S + (m - i * S);
    }

    /// <summary>The elements [start, end) of chunk j.</summary>
    public readonly int ChunkStart(int j) => j * ChunkLength;

    /// <summary>The end of chunk j (exclusive).</summary>
    public readonly int ChunkEnd(int j) => Math.Min(PerChannel, (j + 1) * ChunkLength);
}

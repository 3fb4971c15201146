namespace Dendrite.Gpu.Memory;

/// <summary>
/// The block sizes of the caching allocator. A request is rounded up to its class and served by a cached block of
/// exactly that class, so a training loop, which asks for the same sizes every step, reuses blocks instead of
/// calling the driver.
/// </summary>
/// <remarks>
/// Classes: up to 1 MiB, multiples of 512 B (PyTorch's granule); up to 32 MiB, quarter octaves
/// (2ᵏ, 1.25·2ᵏ, 1.5·2ᵏ, 1.75·2ᵏ: at most 25 % slack, few classes); above, multiples of 2 MiB (at most 6 % slack).
/// </remarks>
internal static class SizeClasses
{
    /// <summary>The smallest block and the rounding unit of small blocks.</summary>
    public const long Granule = 512;

    /// <summary>Largest size rounded to granules.</summary>
    public const long SmallLimit = 1L << 20;

    /// <summary>Largest size rounded to quarter octaves.</summary>
    public const long MediumLimit = 32L << 20;

    /// <summary>Rounding unit above <see cref="MediumLimit"/>.</summary>
    public const long LargeUnit = 2L << 20;

    /// <summary>The class (block size in bytes) serving a request of <paramref name="bytes"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is negative.</exception>
    public static long Round(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes <= SmallLimit)
            return Math.Max(Granule, RoundUp(bytes, Granule));
        if (bytes <= MediumLimit)
        {
            long octave = 1L << (63 - (int)long.LeadingZeroCount(bytes - 1)); // largest power of two below bytes
            return RoundUp(bytes, octave / 4);
        }
        return RoundUp(bytes, LargeUnit);
    }

    private static long RoundUp(long value, long unit) => (value + unit - 1) / unit * unit;
}

namespace Dendrite.Bench;

/// <summary>
/// The counter-based SplitMix64 stream of the PyTorch peer scripts (shared/peers/pytorch/common.py):
/// output k (k = 1, 2, ...) mixes seed + k·γ, so the C# and Python runs draw identical data.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _counter;

    /// <summary>The next raw 64-bit output.</summary>
    public ulong Next()
    {
        ulong z = seed + ++_counter * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>n uniforms in [low, high): 53-bit uniform01 in double, scaled, then cast to float.</summary>
    public float[] UniformSingle(int n, double low, double high)
    {
        var result = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u = (Next() >> 11) * (1.0 / 9007199254740992.0);
            result[i] = (float)(low + (high - low) * u);
        }
        return result;
    }
}

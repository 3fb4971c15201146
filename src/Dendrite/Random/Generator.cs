namespace Dendrite;

/// <summary>
/// A seeded random stream (counter-based SplitMix64) that every random op accepts, like <c>torch.Generator</c>.
/// The stream is the one defined in the peers' README: <see cref="Uniform01"/> is <c>(out &gt;&gt; 11)·2⁻⁵³</c>,
/// normals use one Box–Muller cosine from two consecutive uniforms, and <see cref="Permutation"/> argsorts raw outputs,
/// so a job written against it draws the same numbers as its PyTorch twin.
/// </summary>
public sealed class Generator
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private ulong _seed;
    private ulong _counter;

    /// <summary>The process-wide generator used when an op is given none; seed it with <see cref="Tensor.ManualSeed"/>.</summary>
    public static Generator Default { get; } = new(0x5EED);

    /// <summary>Creates a stream with the given seed.</summary>
    public Generator(ulong seed) => _seed = seed;

    /// <summary>The seed this stream started from.</summary>
    public ulong Seed => _seed;

    /// <summary>Restarts the stream from <paramref name="seed"/>.</summary>
    public Generator ManualSeed(ulong seed)
    {
        lock (this)
        {
            _seed = seed;
            _counter = 0;
        }
        return this;
    }

    /// <summary>The full state (seed, outputs consumed), for checkpoints.</summary>
    public (ulong Seed, ulong Counter) GetState()
    {
        lock (this)
            return (_seed, _counter);
    }

    /// <summary>Restores a state from <see cref="GetState"/>.</summary>
    public void SetState((ulong Seed, ulong Counter) state)
    {
        lock (this)
        {
            _seed = state.Seed;
            _counter = state.Counter;
        }
    }

    /// <summary>The next raw 64-bit output.</summary>
    public ulong NextUInt64()
    {
        ulong k;
        lock (this)
            k = ++_counter;
        return Mix(_seed + k * Gamma);
    }

    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Fills <paramref name="dst"/> with consecutive raw outputs (one lock for the whole block).</summary>
    public void NextUInt64(Span<ulong> dst)
    {
        ulong start;
        lock (this)
        {
            start = _counter;
            _counter += (ulong)dst.Length;
        }
        ulong seed = _seed;
        for (int i = 0; i < dst.Length; i++)
            dst[i] = Mix(seed + (start + (ulong)i + 1) * Gamma);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double Uniform01() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>A uniform double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Uniform(double low, double high) => low + (high - low) * Uniform01();

    /// <summary>A standard normal: <c>sqrt(-2 ln(1 - u1))·cos(2π u2)</c>, consuming two outputs.</summary>
    public double Normal()
    {
        double u1 = Uniform01();
        double u2 = Uniform01();
        return Math.Sqrt(-2.0 * Math.Log(1.0 - u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>An integer uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public long NextInt64(long low, long high)
    {
        if (high <= low)
            throw new ArgumentException($"Generator.NextInt64: high ({high}) must be greater than low ({low}).");
        ulong range = (ulong)(high - low);
        return low + (long)(UInt128Mul(NextUInt64(), range));
    }

    // Lemire's multiply-shift: maps a 64-bit draw onto [0, range) without modulo.
    private static ulong UInt128Mul(ulong x, ulong range) => (ulong)(((UInt128)x * range) >> 64);

    /// <summary>A random permutation of 0..n-1: the argsort of the next n raw outputs (they never tie).</summary>
    public int[] Permutation(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var keys = new ulong[n];
        NextUInt64(keys);
        return ArgSort(keys);
    }

    // Ascending argsort of uniformly random 64-bit keys (a training loop does one per epoch: 60,000 keys took 3.6 ms
    // with a comparison sort). A counting pass distributes the keys by their top bits into about n buckets, so each
    // bucket holds one or two keys, which a short insertion sort orders; a bucket that turns out crowded (keys that
    // are not random) is handed to a comparison sort, so the result is right for any input.
    internal static int[] ArgSort(ulong[] keys)
    {
        int n = keys.Length;
        var idx = new int[n];
        if (n < 64)
        {
            for (int i = 0; i < n; i++)
                idx[i] = i;
            Array.Sort((ulong[])keys.Clone(), idx);
            return idx;
        }
        int bits = Math.Min(20, 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)n - 1));
        int shift = 64 - bits, buckets = 1 << bits;
        var start = new int[buckets + 1];
        for (int i = 0; i < n; i++)
            start[(int)(keys[i] >> shift) + 1]++;
        for (int b = 0; b < buckets; b++)
            start[b + 1] += start[b];
        var sorted = new ulong[n];
        var next = (int[])start.Clone();
        for (int i = 0; i < n; i++)
        {
            int pos = next[(int)(keys[i] >> shift)]++;
            sorted[pos] = keys[i];
            idx[pos] = i;
        }
        for (int b = 0; b < buckets; b++)
        {
            int lo = start[b], len = start[b + 1] - lo;
            if (len <= 1)
                continue;
            if (len > 32)
            {
                Array.Sort(sorted, idx, lo, len);
                continue;
            }
            for (int i = lo + 1; i < lo + len; i++)
            {
                ulong k = sorted[i];
                int v = idx[i], j = i - 1;
                for (; j >= lo && sorted[j] > k; j--)
                {
                    sorted[j + 1] = sorted[j];
                    idx[j + 1] = idx[j];
                }
                sorted[j + 1] = k;
                idx[j + 1] = v;
            }
        }
        return idx;
    }

    /// <summary>Fills <paramref name="dst"/> with uniforms in [low, high), computed in double.</summary>
    public void FillUniform(Span<double> dst, double low, double high)
    {
        for (int i = 0; i < dst.Length; i++)
            dst[i] = Uniform(low, high);
    }

    /// <summary>Fills <paramref name="dst"/> with uniforms in [low, high), computed in double then rounded to float.</summary>
    public void FillUniform(Span<float> dst, double low, double high)
    {
        for (int i = 0; i < dst.Length; i++)
            dst[i] = (float)Uniform(low, high);
    }

    /// <summary>Fills <paramref name="dst"/> with normals of the given mean and std.</summary>
    public void FillNormal(Span<double> dst, double mean = 0, double std = 1)
    {
        for (int i = 0; i < dst.Length; i++)
            dst[i] = mean + std * Normal();
    }

    /// <summary>Fills <paramref name="dst"/> with normals of the given mean and std, rounded to float.</summary>
    public void FillNormal(Span<float> dst, double mean = 0, double std = 1)
    {
        for (int i = 0; i < dst.Length; i++)
            dst[i] = (float)(mean + std * Normal());
    }

    /// <summary>
    /// Reserves the next <paramref name="count"/> raw outputs for a fill that runs elsewhere (a backend kernel) and
    /// returns the counter value they start after: output i of the block is <c>Mix(seed + (start + i + 1)·γ)</c>.
    /// </summary>
    internal (ulong Seed, ulong Start) Claim(ulong count)
    {
        lock (this)
        {
            ulong start = _counter;
            _counter += count;
            return (_seed, start);
        }
    }

    /// <summary>Raw output number <paramref name="k"/> (1-based) of the stream with seed <paramref name="seed"/>.</summary>
    internal static ulong Output(ulong seed, ulong k) => Mix(seed + k * Gamma);

    /// <summary>Fills floating <paramref name="t"/> (dense) with uniforms in [low, high), computed in double, on its device.</summary>
    internal void FillUniform(Tensor t, double low, double high)
    {
        var (seed, start) = Claim((ulong)t.Numel);
        t.Backend.FillUniform(t.Raw, seed, start, low, high);
    }

    /// <summary>Fills floating <paramref name="t"/> (dense) with normals of the given mean and std, on its device.</summary>
    internal void FillNormal(Tensor t, double mean, double std)
    {
        var (seed, start) = Claim(2 * (ulong)t.Numel);
        t.Backend.FillNormal(t.Raw, seed, start, mean, std);
    }

    /// <summary>Fills floating <paramref name="t"/> (dense) with an inverted-dropout mask (scale where kept, else 0), on its device.</summary>
    internal void FillDropoutMask(Tensor t, double p, double scale)
    {
        var (seed, start) = Claim((ulong)t.Numel);
        t.Backend.FillDropoutMask(t.Raw, seed, start, p, scale);
    }
}

namespace Dendrite.Data.Datasets;

/// <summary>Which two-moons construction <see cref="Moons.Make"/> follows.</summary>
public enum MoonsVariant
{
    /// <summary>
    /// scikit-learn's <c>make_moons</c>: points computed in float64 (numpy's linspace), then shuffled, then noise,
    /// then rounded to float32. With <c>new Generator(1)</c>, 1000 samples and noise 0.1 this is exactly the peers' W1 data.
    /// </summary>
    SkLearn,

    /// <summary>
    /// The NNDL book's <c>make_moons</c> (神经网络与深度学习: 案例与实践): float32 <c>torch.linspace</c>, cos/sin in
    /// float32, inner moon <c>(1 - cos t, 0.5 - sin t)</c>, a random permutation, then float32 Gaussian noise.
    /// </summary>
    Nndl,
}

/// <summary>
/// The two-moons toy classification set: an outer half circle <c>(cos t, sin t)</c> with label 0 and an inner
/// one <c>(1 - cos t, 0.5 - sin t)</c> with label 1, t evenly spaced in [0, π]; the outer moon gets ⌊n/2⌋ points.
/// </summary>
public static class Moons
{
    /// <summary>
    /// <paramref name="n"/> points as X float32 [n, 2] and labels Y float32 [n] (0 or 1). When
    /// <paramref name="shuffle"/>, the rows are permuted with <c>generator.Permutation(n)</c>; when
    /// <paramref name="noise"/> &gt; 0, Gaussian noise of that standard deviation is then added, drawn row-major from
    /// the same stream (default <see cref="Generator.Default"/>).
    /// </summary>
    public static (Tensor X, Tensor Y) Make(int n, double noise = 0, Generator? generator = null,
        MoonsVariant variant = MoonsVariant.SkLearn, bool shuffle = true)
    {
        if (n < 0)
            throw new ArgumentOutOfRangeException(nameof(n), $"Moons.Make: n must be non-negative, got {n}.");
        if (!(noise >= 0) || double.IsInfinity(noise))
            throw new ArgumentOutOfRangeException(nameof(noise), $"Moons.Make: noise must be a finite non-negative std, got {noise}.");
        var g = generator ?? Generator.Default;
        return variant == MoonsVariant.SkLearn ? MakeSkLearn(n, noise, g, shuffle) : MakeNndl(n, noise, g, shuffle);
    }

    /// <summary>
    /// The peers' W1 data (shared/peers README): 1000 samples, noise 0.1, shuffled and noised from
    /// <c>new Generator(1)</c>. Rows 0-639 are train, 640-799 dev, 800-999 test.
    /// </summary>
    public static (Tensor X, Tensor Y) Peers() => Make(1000, 0.1, new Generator(1), MoonsVariant.SkLearn, shuffle: true);

    private static (Tensor X, Tensor Y) MakeSkLearn(int n, double noise, Generator g, bool shuffle)
    {
        int nOut = n / 2, nIn = n - nOut;
        var x = new double[2 * n];
        var y = new double[n];
        var tOut = NumpyLinspace(0, Math.PI, nOut);
        var tIn = NumpyLinspace(0, Math.PI, nIn);
        for (int i = 0; i < nOut; i++)
        {
            x[2 * i] = Math.Cos(tOut[i]);
            x[2 * i + 1] = Math.Sin(tOut[i]);
        }
        for (int i = 0; i < nIn; i++)
        {
            int r = nOut + i;
            x[2 * r] = 1.0 - Math.Cos(tIn[i]);
            x[2 * r + 1] = 1.0 - Math.Sin(tIn[i]) - 0.5; // scikit-learn's expression order
            y[r] = 1;
        }
        if (shuffle)
            (x, y) = Permute(x, y, 2, g.Permutation(n));
        if (noise > 0)
            for (int i = 0; i < x.Length; i++)
                x[i] += noise * g.Normal();
        return (ToFloat(x, n, 2), ToFloat(y, n));
    }

    private static (Tensor X, Tensor Y) MakeNndl(int n, double noise, Generator g, bool shuffle)
    {
        int nOut = n / 2, nIn = n - nOut;
        var x = new float[2 * n];
        var y = new float[n];
        var tOut = TorchLinspace(0f, MathF.PI, nOut);
        var tIn = TorchLinspace(0f, MathF.PI, nIn);
        for (int i = 0; i < nOut; i++)
        {
            x[2 * i] = MathF.Cos(tOut[i]);
            x[2 * i + 1] = MathF.Sin(tOut[i]);
        }
        for (int i = 0; i < nIn; i++)
        {
            int r = nOut + i;
            x[2 * r] = 1f - MathF.Cos(tIn[i]);
            x[2 * r + 1] = 0.5f - MathF.Sin(tIn[i]);
            y[r] = 1;
        }
        if (shuffle)
        {
            var perm = g.Permutation(n);
            var xs = new float[x.Length];
            var ys = new float[n];
            for (int i = 0; i < n; i++)
            {
                xs[2 * i] = x[2 * perm[i]];
                xs[2 * i + 1] = x[2 * perm[i] + 1];
                ys[i] = y[perm[i]];
            }
            (x, y) = (xs, ys);
        }
        if (noise > 0)
            for (int i = 0; i < x.Length; i++)
                x[i] += (float)(noise * g.Normal()); // torch.normal(0, noise) in float32, added in float32
        return (Tensor.Wrap(x, n, 2), Tensor.Wrap(y, n));
    }

    /// <summary>numpy's <c>linspace(start, stop, num)</c>: <c>i·step + start</c> with step = (stop-start)/(num-1), last value exactly stop.</summary>
    internal static double[] NumpyLinspace(double start, double stop, int num, bool endpoint = true)
    {
        var t = new double[num];
        int div = endpoint ? num - 1 : num;
        double step = div > 0 ? (stop - start) / div : 0;
        for (int i = 0; i < num; i++)
            t[i] = i * step + start;
        if (endpoint && num > 1)
            t[num - 1] = stop;
        return t;
    }

    /// <summary>torch's float32 <c>linspace</c>: filled from both ends with a float step.</summary>
    internal static float[] TorchLinspace(float start, float end, int steps)
    {
        var t = new float[steps];
        float step = steps > 1 ? (end - start) / (steps - 1) : 0f;
        int half = steps / 2;
        for (int i = 0; i < steps; i++)
            t[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
        return t;
    }

    internal static (double[] X, double[] Y) Permute(double[] x, double[] y, int cols, int[] perm)
    {
        var xs = new double[x.Length];
        var ys = new double[y.Length];
        for (int i = 0; i < perm.Length; i++)
        {
            Array.Copy(x, perm[i] * cols, xs, i * cols, cols);
            ys[i] = y[perm[i]];
        }
        return (xs, ys);
    }

    internal static Tensor ToFloat(double[] values, params int[] shape)
    {
        var f = new float[values.Length];
        for (int i = 0; i < f.Length; i++)
            f[i] = (float)values[i];
        return Tensor.Wrap(f, shape);
    }
}

namespace Dendrite.Data.Datasets;

/// <summary>
/// scikit-learn's <c>make_circles</c>: an outer circle (label 0, ⌊n/2⌋ points) and an inner circle scaled by
/// <c>factor</c> (label 1), angles evenly spaced in [0, 2π) without the endpoint.
/// </summary>
public static class Circles
{
    /// <summary>
    /// X float32 [n, 2] and Y float32 [n]; shuffled with <c>generator.Permutation(n)</c>, then Gaussian noise of std
    /// <paramref name="noise"/> added from the same stream (default <see cref="Generator.Default"/>).
    /// </summary>
    public static (Tensor X, Tensor Y) Make(int n, double noise = 0, double factor = 0.8, Generator? generator = null, bool shuffle = true)
    {
        if (n < 0)
            throw new ArgumentOutOfRangeException(nameof(n), $"Circles.Make: n must be non-negative, got {n}.");
        if (!(factor >= 0 && factor < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), $"Circles.Make: factor must be in [0, 1), got {factor}.");
        if (!(noise >= 0) || double.IsInfinity(noise))
            throw new ArgumentOutOfRangeException(nameof(noise), $"Circles.Make: noise must be a finite non-negative std, got {noise}.");
        var g = generator ?? Generator.Default;
        int nOut = n / 2, nIn = n - nOut;
        var x = new double[2 * n];
        var y = new double[n];
        var tOut = Moons.NumpyLinspace(0, 2 * Math.PI, nOut, endpoint: false);
        var tIn = Moons.NumpyLinspace(0, 2 * Math.PI, nIn, endpoint: false);
        for (int i = 0; i < nOut; i++)
        {
            x[2 * i] = Math.Cos(tOut[i]);
            x[2 * i + 1] = Math.Sin(tOut[i]);
        }
        for (int i = 0; i < nIn; i++)
        {
            int r = nOut + i;
            x[2 * r] = Math.Cos(tIn[i]) * factor;
            x[2 * r + 1] = Math.Sin(tIn[i]) * factor;
            y[r] = 1;
        }
        if (shuffle)
            (x, y) = Moons.Permute(x, y, 2, g.Permutation(n));
        if (noise > 0)
            for (int i = 0; i < x.Length; i++)
                x[i] += noise * g.Normal();
        return (Moons.ToFloat(x, n, 2), Moons.ToFloat(y, n));
    }
}

namespace Dendrite.Data.Datasets;

/// <summary>Samples of a scalar function for regression (for example y = x² on [-2, 2]).</summary>
public static class FunctionData
{
    /// <summary>
    /// X float32 [n, 1] uniform in [<paramref name="lo"/>, <paramref name="hi"/>) from <paramref name="generator"/>
    /// (default <see cref="Generator.Default"/>; each draw computed in float64 and rounded to float32), and
    /// Y float32 [n, 1] = f(x) evaluated at the rounded x, plus Gaussian noise of std <paramref name="noiseStd"/>
    /// drawn afterwards from the same stream.
    /// </summary>
    public static (Tensor X, Tensor Y) Make(Func<double, double> f, double lo, double hi, int n, Generator? generator = null, double noiseStd = 0)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (!(hi > lo) || double.IsInfinity(lo) || double.IsInfinity(hi))
            throw new ArgumentException($"FunctionData.Make: need finite lo < hi, got [{lo}, {hi}).");
        if (n < 0)
            throw new ArgumentOutOfRangeException(nameof(n), $"FunctionData.Make: n must be non-negative, got {n}.");
        if (!(noiseStd >= 0) || double.IsInfinity(noiseStd))
            throw new ArgumentOutOfRangeException(nameof(noiseStd), $"FunctionData.Make: noiseStd must be a finite non-negative number, got {noiseStd}.");
        var g = generator ?? Generator.Default;
        var x = new float[n];
        g.FillUniform(x, lo, hi);
        var y = new float[n];
        for (int i = 0; i < n; i++)
            y[i] = (float)f(x[i]);
        if (noiseStd > 0)
            for (int i = 0; i < n; i++)
                y[i] = (float)(y[i] + noiseStd * g.Normal());
        return (Tensor.Wrap(x, n, 1), Tensor.Wrap(y, n, 1));
    }
}

namespace Dendrite.Data.Datasets;

/// <summary>d2l's <c>synthetic_data</c>: y = Xw + b + ε with X ~ N(0, 1) and ε ~ N(0, σ²).</summary>
public static class LinearRegressionData
{
    /// <summary>
    /// X float32 [n, w.Length] drawn row-major from <paramref name="generator"/> (default
    /// <see cref="Generator.Default"/>), then Y float32 [n, 1] = X·w + b plus noise of std <paramref name="noiseStd"/>
    /// drawn from the same stream (computed in float64 from the float32 X).
    /// </summary>
    public static (Tensor X, Tensor Y) Make(double[] w, double b, int n, double noiseStd = 0.01, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (w.Length == 0)
            throw new ArgumentException("LinearRegressionData.Make: the weight vector is empty.");
        if (n < 0)
            throw new ArgumentOutOfRangeException(nameof(n), $"LinearRegressionData.Make: n must be non-negative, got {n}.");
        if (!(noiseStd >= 0) || double.IsInfinity(noiseStd))
            throw new ArgumentOutOfRangeException(nameof(noiseStd), $"LinearRegressionData.Make: noiseStd must be a finite non-negative number, got {noiseStd}.");
        var g = generator ?? Generator.Default;
        int d = w.Length;
        var x = new float[n * d];
        g.FillNormal(x);
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            double s = b;
            for (int j = 0; j < d; j++)
                s += x[i * d + j] * w[j];
            y[i] = (float)s;
        }
        if (noiseStd > 0)
            for (int i = 0; i < n; i++)
                y[i] = (float)(y[i] + noiseStd * g.Normal());
        return (Tensor.Wrap(x, n, d), Tensor.Wrap(y, n, 1));
    }
}

namespace Dendrite.Backends.Cpu;

/// <summary>Special functions .NET does not provide, to double precision.</summary>
internal static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955125739;
    private const double InvSqrtPi = 0.56418958354775628695;

    /// <summary>The error function erf(x), accurate to a few ulps.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
            return double.NaN;
        double ax = Math.Abs(x);
        if (ax < 2.0)
        {
            // Maclaurin series: erf(x) = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)); terms stay small for |x| < 2.
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 60; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum))
                    break;
            }
            return TwoOverSqrtPi * sum;
        }
        double r = 1.0 - Erfc(ax);
        return x < 0 ? -r : r;
    }

    /// <summary>The complementary error function for x ≥ 2, by its continued fraction.</summary>
    private static double Erfc(double x)
    {
        if (x > 27)
            return 0;
        // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), evaluated bottom-up.
        double f = x;
        for (int k = 80; k >= 1; k--)
            f = x + k * 0.5 / f;
        return Math.Exp(-x * x) * InvSqrtPi / f;
    }
}

using System.Runtime.CompilerServices;
using ILGPU;

namespace Dendrite.Gpu.Kernels;

// Double-precision exp, expm1, log1p, tanh, erf and pow in plain arithmetic (see the remarks on DeviceMath), each
// within a few ulp of the correctly rounded result. Float kernels call them on the widened value and round once.
internal static partial class DeviceMath
{
    private const double InvLn2 = 1.44269504088896338700;

    // Beyond these exp overflows to +∞ or underflows to 0.
    private const double ExpOverflow = 7.09782712893383973096e+02;
    private const double ExpUnderflow = -7.45133219101941108420e+02;

    /// <summary>
    /// eˣ (fdlibm's method). k = round(x/ln 2), r = x − k·ln 2 (ln 2 in two parts, so k·Ln2Hi is exact), |r| ≤ ln 2/2;
    /// e^r = 1 + r + r·c/(2 − c) with c = r − r²·P(r²), P the degree-5 Remez fit; the result is 2ᵏ·e^r.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x)
    {
        if (double.IsNaN(x))
            return x;
        if (x > ExpOverflow)
            return double.PositiveInfinity;
        if (x < ExpUnderflow)
            return 0.0;
        int k = (int)(x * InvLn2 + (x >= 0 ? 0.5 : -0.5));
        double dk = k;
        double hi = x - dk * Ln2Hi;
        double lo = dk * Ln2Lo;
        double r = hi - lo;
        double t = r * r;
        double c = r - t * (1.66666666666666019037e-01 + t * (-2.77777777770155933842e-03 + t * (6.61375632143793436117e-05
            + t * (-1.65339022054652515390e-06 + t * 4.13813679705723846039e-08))));
        double y = 1.0 - ((lo - r * c / (2.0 - c)) - hi);
        return ScaleByPowerOfTwo(y, k);
    }

    /// <summary>y·2ᵏ for y in [½, 2] and k in [−1080, 1030], with one rounding when the result is subnormal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ScaleByPowerOfTwo(double y, int k)
    {
        if (k > 1023)
            return y * 8.98846567431158e307 * PowerOfTwo(k - 1023);        // 2¹⁰²³·2^(k−1023)
        if (k < -1021)
            return y * PowerOfTwo(k + 54) * 5.551115123125783e-17;        // 2^(k+54)·2⁻⁵⁴
        return y * PowerOfTwo(k);
    }

    // 2ᵏ for k in [−1022, 1023], built in the exponent field.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double PowerOfTwo(int k) => Interop.IntAsFloat((ulong)(k + 1023) << 52);

    /// <summary>
    /// eˣ − 1 without cancellation near 0: for |x| &lt; ln 2/2 the Taylor series to x¹⁴/14! (below 2⁻⁵⁶ relative there),
    /// else <see cref="Exp"/>(x) − 1 (which loses at most two bits at the boundary).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Expm1(double x)
    {
        if (!(Math.Abs(x) < 0.34657359027997264))
            return x < -40.0 ? -1.0 : Exp(x) - 1.0;
        // x·(1 + x/2·(1 + x/3·(1 + ... (1 + x/14))))
        double p = 1.0 + x * (1.0 / 14.0);
        p = 1.0 + x * (1.0 / 13.0) * p;
        p = 1.0 + x * (1.0 / 12.0) * p;
        p = 1.0 + x * (1.0 / 11.0) * p;
        p = 1.0 + x * (1.0 / 10.0) * p;
        p = 1.0 + x * (1.0 / 9.0) * p;
        p = 1.0 + x * (1.0 / 8.0) * p;
        p = 1.0 + x * (1.0 / 7.0) * p;
        p = 1.0 + x * (1.0 / 6.0) * p;
        p = 1.0 + x * (1.0 / 5.0) * p;
        p = 1.0 + x * (1.0 / 4.0) * p;
        p = 1.0 + x * (1.0 / 3.0) * p;
        p = 1.0 + x * 0.5 * p;
        return x * p;
    }

    /// <summary>
    /// ln(1 + x) for x ≥ −1, accurate near 0: with u = 1 + x rounded, ln(1 + x) = ln u · x/(u − 1) (Goldberg's
    /// correction for the rounding of u).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log1p(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0 || double.IsNaN(x))
            return x;
        if (u > double.MaxValue)
            return u;
        return Log(u) * (x / (u - 1.0));
    }

    /// <summary>tanh x = sign(x)·e/(e + 2) with e = expm1(2|x|); ±1 beyond |x| = 22, x itself below 2⁻²⁸.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Tanh(double x)
    {
        double ax = Math.Abs(x);
        if (!(ax <= 22.0))
            return double.IsNaN(x) ? x : x > 0 ? 1.0 : -1.0;
        if (ax < 3.725290298461914e-09)
            return x;
        double e = Expm1(2.0 * ax);
        double t = e / (e + 2.0);
        return x < 0 ? -t : t;
    }

    /// <summary>
    /// The error function, as the CPU backend computes it: the Maclaurin series 2/√π·Σ (−1)ⁿx²ⁿ⁺¹/(n!(2n + 1)) for
    /// |x| &lt; 2 (until a term drops below 10⁻¹⁷ of the sum), else 1 − erfc|x| with erfc from its continued fraction
    /// e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + ...)))) (80 levels, 0 beyond x = 27), signed.
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
            return x;
        double ax = Math.Abs(x);
        if (ax < 2.0)
        {
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 60; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum))
                    break;
            }
            return 1.1283791670955125739 * sum;
        }
        double erfc = 0.0;
        if (ax <= 27.0)
        {
            double f = ax;
            for (int k = 80; k >= 1; k--)
                f = ax + k * 0.5 / f;
            erfc = Exp(-ax * ax) * 0.56418958354775628695 / f;
        }
        double r = 1.0 - erfc;
        return x < 0 ? -r : r;
    }

    /// <summary>
    /// xʸ with the IEEE 754 (and .NET) special cases. Integral y with |y| ≤ 2¹⁰ goes by repeated squaring (exact
    /// signs for negative x, within log₂|y| + 1 ulp); otherwise e^(y·ln x) for x &gt; 0 (the rounding of y·ln x makes
    /// that about |y·ln x| + 1 ulp: below 10⁻¹³ relative while |y·ln x| &lt; 700), NaN for finite x &lt; 0.
    /// </summary>
    public static double Pow(double x, double y)
    {
        if (y == 0.0 || x == 1.0)
            return 1.0;
        if (double.IsNaN(x) || double.IsNaN(y))
            return double.NaN;
        double ay = Math.Abs(y), ax = Math.Abs(x);
        if (ay > double.MaxValue)
        {
            // y = ±∞: 1 for |x| = 1, else 0 or ∞ by which side of 1 |x| is and the sign of y.
            if (ax == 1.0)
                return 1.0;
            return (ax > 1.0) == (y > 0) ? double.PositiveInfinity : 0.0;
        }
        bool integral = IsIntegral(y);
        bool odd = integral && ay < 9007199254740992.0 && IsOdd(ay);
        if (x == 0.0 || ax > double.MaxValue)
        {
            // ±0 and ±∞: the magnitude is 0 or ∞, negative only for a negative base and an odd integer y.
            bool infinite = (x == 0.0) == (y < 0);
            double magnitude = infinite ? double.PositiveInfinity : 0.0;
            bool negative = (long)Interop.FloatAsInt(x) < 0;      // the sign bit: −0 counts
            return negative && odd ? -magnitude : magnitude;
        }
        if (integral && ay <= 1024.0)
        {
            double result = 1.0, b = ax;
            for (int e = (int)ay; e > 0; e >>= 1)
            {
                if ((e & 1) != 0)
                    result *= b;
                b *= b;
            }
            if (y < 0)
                result = 1.0 / result;
            return x < 0 && odd ? -result : result;
        }
        if (x < 0 && !integral)
            return double.NaN;
        double magnitudePow = Exp(y * Log(ax));
        return x < 0 && odd ? -magnitudePow : magnitudePow;
    }

    // Whether finite y has no fractional part (every double of magnitude ≥ 2⁵² does).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsIntegral(double y)
    {
        double a = Math.Abs(y);
        if (a >= 4503599627370496.0)
            return true;
        return (double)(long)a == a;
    }

    // Whether integral a (0 ≤ a < 2⁵³) is odd.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsOdd(double a) => ((long)a & 1) != 0;
}

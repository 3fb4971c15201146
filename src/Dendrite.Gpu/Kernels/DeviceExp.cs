using System.Runtime.CompilerServices;
using ILGPU;

namespace Dendrite.Gpu.Kernels;

/// <summary>
/// Double-precision e^x and x^y written out in plain arithmetic (as <see cref="DeviceMath"/> is, for the same
/// reason: ILGPU 1.5.3 has no driver-only, ulp-accurate double exp for CUDA), within about an ulp of
/// <see cref="Math.Exp"/>.
/// </summary>
internal static class DeviceExp
{
    // ln 2 split so that k·Ln2Hi is exact for |k| < 2¹¹ (the same split as DeviceMath.Log).
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double InvLn2 = 1.44269504088896338700e+00;

    // e^x overflows above ln(2¹⁰²⁴) and underflows to 0 below ln(2⁻¹⁰⁷⁵).
    private const double OverflowAbove = 7.09782712893383973096e+02;
    private const double UnderflowBelow = -7.45133219101941108420e+02;

    // Remez coefficients of R(t) ≈ r·(e^r + 1)/(e^r − 1) − 2 on |r| ≤ ½ln 2 (t = r², error below 2⁻⁵⁹).
    private const double P1 = 1.66666666666666019037e-01;
    private const double P2 = -2.77777777770155933842e-03;
    private const double P3 = 6.61375632143793436117e-05;
    private const double P4 = -1.65339022054652515390e-06;
    private const double P5 = 4.13813679705723846039e-08;

    /// <summary>
    /// e^x. x = k·ln 2 + r with k = round(x/ln 2) and |r| ≤ ½ln 2 (Cody–Waite, ln 2 in two pieces, hi − lo kept
    /// apart); e^r = 1 + r + r·c/(2 − c) with c = r − t·R(t), t = r²; e^x = 2ᵏ·e^r scaled through the exponent bits.
    /// NaN stays NaN, +∞ → +∞, −∞ → 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x)
    {
        if (double.IsNaN(x))
            return x;
        if (x > OverflowAbove)
            return double.PositiveInfinity;
        if (x < UnderflowBelow)
            return 0.0;
        double kd = x * InvLn2;
        int k = (int)(kd + (kd < 0 ? -0.5 : 0.5));
        double dk = k;
        double hi = x - dk * Ln2Hi;         // exact: dk·Ln2Hi has at most 43 significant bits
        double lo = dk * Ln2Lo;
        double r = hi - lo;
        double t = r * r;
        double c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
        double y = 1.0 - ((lo - r * c / (2.0 - c)) - hi);
        return ScaleByPowerOfTwo(y, k);
    }

    /// <summary>
    /// x^y for x ≥ 0 (a magnitude) and y &gt; 0, as <see cref="Math.Pow"/> gives it there: NaN → NaN, 0 → 0, ∞ → ∞,
    /// y = 1 → x exactly, else e^(y·ln x) (relative error about |y·ln x|·2⁻⁵³ beyond the ulp of exp).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double PowMagnitude(double x, double y)
    {
        if (double.IsNaN(x) || double.IsNaN(y))
            return double.NaN;
        if (y == 1.0 || x == 0.0 || x == 1.0 || double.IsPositiveInfinity(x))
            return x;
        if (y == 2.0)
            return x * x;
        return Exp(y * DeviceMath.Log(x));
    }

    // y·2ᵏ for y in [½, 2] and k from Exp's range: exact exponent arithmetic while the result is normal (2ᵏ split
    // in two where k = 1024), one rounding into the subnormal range below.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ScaleByPowerOfTwo(double y, int k)
    {
        if (k >= -1021)
        {
            if (k > 1023)
                return y * 2.0 * Interop.IntAsFloat((ulong)(k - 1 + 1023) << 52);
            return y * Interop.IntAsFloat((ulong)(k + 1023) << 52);
        }
        // 2⁻¹⁰⁰⁰ applied last so that only the final product rounds into the subnormals.
        return y * Interop.IntAsFloat((ulong)(k + 1000 + 1023) << 52) * 9.332636185032189e-302;
    }
}

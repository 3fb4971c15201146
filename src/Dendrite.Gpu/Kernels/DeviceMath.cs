using System.Runtime.CompilerServices;
using ILGPU;

namespace Dendrite.Gpu.Kernels;

/// <summary>
/// Double-precision log and cos written out in plain arithmetic, for kernels that must agree with .NET's
/// <see cref="Math.Log(double)"/> and <see cref="Math.Cos"/> to about an ulp on every accelerator.
/// </summary>
/// <remarks>
/// Why: in ILGPU 1.5.3 <c>Math.Log</c>/<c>Math.Cos</c> on doubles compile for CUDA either to libdevice (needs the
/// CUDA toolkit's NVVM at run time, which a driver-only machine lacks) or, with ILGPU.Algorithms, to CORDIC
/// approximations far from 1 ulp. These use only +, −, ×, ÷ and bit casts, so the same code runs on every
/// backend. The PTX assembler may fuse a multiply and an add into an FMA, which can move a CUDA result by an ulp
/// against <c>ilgpu-cpu</c>; the range reductions are written so their products are exact, fused or not.
/// </remarks>
internal static partial class DeviceMath
{
    // ln 2 split so that k·Ln2Hi is exact for |k| < 2¹¹ (Ln2Hi has 32 significant bits).
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;

    // π/2 in three 33-bit pieces: q·P_i is exact for |q| < 2²⁰.
    private const double PiOver2A = 1.5707963267341256;
    private const double PiOver2B = 6.077100506303966e-11;
    private const double PiOver2C = 2.0222662487959506e-21;
    private const double TwoOverPi = 0.6366197723675814;

    /// <summary>
    /// Natural logarithm. x = 2ᵏ·m with m in [√½, √2), f = m − 1, s = f/(2 + f): ln m = 2·atanh s =
    /// 2s + s·R(s²) with R the atanh series (|s| ≤ 0.1716, ten terms reach 2⁻⁵⁶), evaluated as
    /// f − (f²/2 − s·(f²/2 + R)) to keep the leading term exact; ln x = k·ln 2 + ln m with ln 2 split in two.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double x)
    {
        if (!(x > 0.0))
            return x == 0.0 ? double.NegativeInfinity : double.NaN;
        if (x > double.MaxValue)
            return x;
        int k = 0;
        ulong bits = Interop.FloatAsInt(x);
        if (bits < 0x0010000000000000UL)
        {
            // Subnormal: scale by 2⁵⁴ into the normal range.
            bits = Interop.FloatAsInt(x * 18014398509481984.0);
            k = -54;
        }
        k += (int)(bits >> 52) - 1023;
        ulong mantissa = bits & 0x000FFFFFFFFFFFFFUL;
        double m;
        if (mantissa > 0x6A09E667F3BCDUL)
        {
            m = Interop.IntAsFloat(mantissa | 0x3FE0000000000000UL);   // m/2 in [√½, 1)
            k++;
        }
        else
        {
            m = Interop.IntAsFloat(mantissa | 0x3FF0000000000000UL);   // m in [1, √2]
        }
        double f = m - 1.0;                 // exact
        double s = f / (2.0 + f);
        double z = s * s;
        double r = z * (0.6666666666666666 + z * (0.4 + z * (0.2857142857142857 + z * (0.2222222222222222
            + z * (0.18181818181818182 + z * (0.15384615384615385 + z * (0.13333333333333333
            + z * (0.11764705882352941 + z * (0.10526315789473684 + z * 0.09523809523809523)))))))));
        double halfSquare = 0.5 * f * f;
        double dk = k;
        return dk * Ln2Hi - ((halfSquare - (s * (halfSquare + r) + dk * Ln2Lo)) - f);
    }

    /// <summary>
    /// Cosine for |x| below 2²⁰·π/2 (the Box–Muller angle 2π·u is in [0, 2π)). q = round(x·2/π),
    /// r = x − q·π/2 with π/2 in three pieces (Cody–Waite; exact for the first piece), then the Taylor series of
    /// cos r or sin r on |r| ≤ π/4 (terms to r¹⁸, below 2⁻⁶⁰), chosen and signed by q mod 4.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Cos(double x)
    {
        if (!(Math.Abs(x) <= 1647099.0))     // 2²⁰·π/2: beyond it q·P_i would not be exact
            return double.NaN;
        long q = (long)(x * TwoOverPi + (x >= 0 ? 0.5 : -0.5));
        double dq = q;
        double r = x - dq * PiOver2A;
        r -= dq * PiOver2B;
        r -= dq * PiOver2C;
        double z = r * r;
        int quadrant = (int)(q & 3);
        if ((quadrant & 1) == 0)
        {
            // cos r = 1 − z/2 + z²·C(z), with the 1 − z/2 rounding error added back.
            double c = z * z * (0.041666666666666664 + z * (-0.001388888888888889 + z * (2.48015873015873e-05
                + z * (-2.755731922398589e-07 + z * (2.08767569878681e-09 + z * (-1.1470745597729725e-11
                + z * (4.779477332387385e-14 + z * (-1.5619206968586225e-16))))))));
            double half = 0.5 * z;
            double w = 1.0 - half;
            double cosR = w + (((1.0 - w) - half) + c);
            return quadrant == 0 ? cosR : -cosR;
        }
        // sin r = r + r·z·S(z).
        double s = z * (-0.16666666666666666 + z * (0.008333333333333333 + z * (-0.0001984126984126984
            + z * (2.7557319223985893e-06 + z * (-2.505210838544172e-08 + z * (1.6059043836821613e-10
            + z * (-7.647163731819816e-13 + z * (2.8114572543455206e-15 + z * -8.22063524662433e-18))))))));
        double sinR = r + r * s;
        return quadrant == 1 ? -sinR : sinR;
    }
}

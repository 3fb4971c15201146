using Dendrite.Backends.Cpu;
using Dendrite.Gpu.Kernels;

namespace Dendrite.Tests.Gpu;

/// <summary>
/// Accuracy of the kernel math functions (plain C#, so they run on the host here) against .NET's correctly rounded
/// (or nearly) library functions, in ulps, and their IEEE special cases.
/// </summary>
[Trait("Category", "Gpu")]
public sealed class DeviceMathTests
{
    // Distance in representable doubles (0 for equal values, including two NaNs).
    private static double Ulps(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
            return double.IsNaN(a) && double.IsNaN(b) ? 0 : double.PositiveInfinity;
        if (a == b)
            return 0;
        static long Ordered(double v)
        {
            long bits = BitConverter.DoubleToInt64Bits(v);
            return bits < 0 ? long.MinValue - bits : bits;
        }
        return (double)Int128.Abs((Int128)Ordered(a) - Ordered(b));
    }

    private static void Within(Func<double, double> f, Func<double, double> reference, IEnumerable<double> xs, double maxUlps, string name)
    {
        double worst = 0, at = 0;
        foreach (double x in xs)
        {
            double e = Ulps(f(x), reference(x));
            if (e > worst)
                (worst, at) = (e, x);
        }
        Assert.True(worst <= maxUlps, $"{name}: {worst} ulps at x = {at:R} ({f(at):R} vs {reference(at):R})");
    }

    private static IEnumerable<double> Uniform(double low, double high, int n, int seed)
    {
        var rng = new Random(seed);
        for (int i = 0; i < n; i++)
            yield return low + (high - low) * rng.NextDouble();
    }

    [Fact]
    public void ExpIsWithinAnUlpOverItsWholeRange()
    {
        Within(DeviceMath.Exp, Math.Exp, Uniform(-745, 709.78, 20000, 1).Concat(Uniform(-1, 1, 5000, 2)), 1, "exp");
        Within(DeviceMath.Exp, Math.Exp, Uniform(-745.13, -708, 2000, 3), 1, "exp (subnormal results)");
        Assert.Equal(double.PositiveInfinity, DeviceMath.Exp(710));
        Assert.Equal(0.0, DeviceMath.Exp(-746));
        Assert.Equal(1.0, DeviceMath.Exp(0));
        Assert.True(double.IsNaN(DeviceMath.Exp(double.NaN)));
        Assert.Equal(0.0, DeviceMath.Exp(double.NegativeInfinity));
    }

    [Fact]
    public void TanhAndExpm1AreWithinAFewUlps()
    {
        Within(DeviceMath.Tanh, Math.Tanh, Uniform(-25, 25, 20000, 4).Concat(Uniform(-0.4, 0.4, 5000, 5)).Concat(Uniform(-1e-6, 1e-6, 500, 6)), 3, "tanh");
        Assert.Equal(1.0, DeviceMath.Tanh(double.PositiveInfinity));
        Assert.Equal(-1.0, DeviceMath.Tanh(-40));
        Assert.True(double.IsNaN(DeviceMath.Tanh(double.NaN)));
        // expm1 x = 2·tanh(x/2)/(1 − tanh(x/2)) exactly; compare away from the formula's own cancellation.
        Within(DeviceMath.Expm1, x => Math.Exp(x) - 1, Uniform(1, 700, 2000, 7), 2, "expm1 (large)");
        Within(DeviceMath.Expm1, x => { double t = Math.Tanh(x / 2); return 2 * t / (1 - t); }, Uniform(-0.34, 0.34, 5000, 8), 4, "expm1 (small)");
        Assert.Equal(-1.0, DeviceMath.Expm1(-50));
    }

    [Fact]
    public void Log1pIsAccurateNearZero()
    {
        // ln(1 + x) = 2·atanh(x/(2 + x)) exactly; Math.Atanh is accurate near 0.
        Within(DeviceMath.Log1p, x => 2 * Math.Atanh(x / (2 + x)), Uniform(-0.5, 1, 5000, 9).Concat(Uniform(-1e-8, 1e-8, 500, 10)), 4, "log1p");
        Within(DeviceMath.Log1p, x => Math.Log(1 + x), Uniform(10, 1e8, 2000, 11), 2, "log1p (large)");
        Assert.Equal(double.PositiveInfinity, DeviceMath.Log1p(double.PositiveInfinity));
        Assert.Equal(double.NegativeInfinity, DeviceMath.Log1p(-1));
        Assert.True(double.IsNaN(DeviceMath.Log1p(-2)));
    }

    [Fact]
    public void ErfMatchesTheCpuBackend()
    {
        Within(DeviceMath.Erf, SpecialFunctions.Erf, Uniform(-7, 7, 20000, 12).Append(30).Append(-30).Append(0), 2, "erf");
        Assert.True(double.IsNaN(DeviceMath.Erf(double.NaN)));
        Assert.Equal(1.0, DeviceMath.Erf(double.PositiveInfinity));
    }

    [Fact]
    public void PowMatchesMathPowIncludingSpecialCases()
    {
        double[] specials = [0.0, -0.0, 1, -1, 2, -2, 0.5, -0.5, 3, -3, 3.5, 1e-300, 1e300, double.PositiveInfinity, double.NegativeInfinity, double.NaN];
        foreach (double x in specials)
        foreach (double y in specials)
        {
            double expected = Math.Pow(x, y), actual = DeviceMath.Pow(x, y);
            // Non-integral powers carry the rounding of y·ln x: (|y·ln x| + 1) ulps (here ≤ 350).
            Assert.True(Ulps(actual, expected) <= 2 || Math.Abs(actual - expected) <= 1e-13 * Math.Abs(expected) || double.IsNaN(expected) && double.IsNaN(actual),
                $"pow({x:R}, {y:R}) = {actual:R}, Math.Pow gives {expected:R}");
        }
        var rng = new Random(13);
        double worst = 0;
        for (int i = 0; i < 20000; i++)
        {
            double x = Math.Exp(rng.NextDouble() * 14 - 7), y = rng.NextDouble() * 40 - 20;
            if (i % 4 == 0)
                y = Math.Round(y);
            if (i % 8 == 0)
                x = -x;
            worst = Math.Max(worst, Ulps(DeviceMath.Pow(x, y), Math.Pow(x, y)));
        }
        // e^(y·ln x) carries the rounding of y·ln x (|y·ln x| ≤ 140 here) into the result.
        Assert.True(worst <= 200, $"pow: {worst} ulps");
    }
}

using Dendrite.Gpu.Kernels;
using Xunit.Abstractions;

namespace Dendrite.Tests.Gpu;

/// <summary>DeviceExp (the kernels' double exp and pow) against .NET's, on the host where the same code runs.</summary>
[Trait("Category", "Gpu")]
public sealed class DeviceExpTests(ITestOutputHelper output)
{
    private static long Ulps(double a, double b) =>
        a == b ? 0 : Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));

    [Fact]
    public void ExpIsWithinOneUlpOfDotNetOverItsWholeRange()
    {
        var rng = new Random(7);
        long worst = 0;
        for (int i = 0; i < 200_000; i++)
        {
            double x = i % 4 == 0 ? rng.NextDouble() * 2 - 1 : rng.NextDouble() * 1460 - 750;  // near 0, and overflow to subnormals
            worst = Math.Max(worst, Ulps(DeviceExp.Exp(x), Math.Exp(x)));
        }
        output.WriteLine($"worst exp {worst} ulp");
        Assert.True(worst <= 1, $"exp: {worst} ulp");
        foreach (double x in new[] { 0.0, -0.0, 1e-300, -1e-300, 709.78, 709.79, -745.1, -745.2, -708.4, -720.5, 1.0, -1.0 })
            Assert.True(Ulps(DeviceExp.Exp(x), Math.Exp(x)) <= 1, $"exp({x}): {DeviceExp.Exp(x)} vs {Math.Exp(x)}");
        Assert.Equal(double.PositiveInfinity, DeviceExp.Exp(double.PositiveInfinity));
        Assert.Equal(0.0, DeviceExp.Exp(double.NegativeInfinity));
        Assert.True(double.IsNaN(DeviceExp.Exp(double.NaN)));
    }

    [Fact]
    public void PowOfMagnitudesTracksDotNet()
    {
        var rng = new Random(8);
        double worst = 0;
        for (int i = 0; i < 100_000; i++)
        {
            double x = Math.Exp(rng.NextDouble() * 60 - 30), y = 0.1 + rng.NextDouble() * 5;
            double e = Math.Pow(x, y);
            worst = Math.Max(worst, Math.Abs(DeviceExp.PowMagnitude(x, y) - e) / e);
        }
        output.WriteLine($"worst pow relative error {worst:E2}");
        Assert.True(worst < 1e-13, $"pow: relative error {worst}");
        Assert.Equal(0.0, DeviceExp.PowMagnitude(0, 2.5));
        Assert.Equal(double.PositiveInfinity, DeviceExp.PowMagnitude(double.PositiveInfinity, 0.5));
        Assert.True(double.IsNaN(DeviceExp.PowMagnitude(double.NaN, 3)));
        Assert.Equal(0.1, DeviceExp.PowMagnitude(0.1, 1));
        Assert.Equal(0.1 * 0.1, DeviceExp.PowMagnitude(0.1, 2));
    }
}

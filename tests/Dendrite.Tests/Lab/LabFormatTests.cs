using Dendrite.Cli.Lab.Common;

namespace Dendrite.Tests.Lab;

public sealed class LabFormatTests
{
    [Theory]
    [InlineData(1.2101e-05, "1.2101e-05")]
    [InlineData(-9.0942e-06, "-9.0942e-06")]
    [InlineData(0.0, "0.0000e+00")]
    [InlineData(0.00093750, "9.3750e-04")]
    [InlineData(12345.678, "1.2346e+04")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void SciPrintsLikePyTorch(double value, string expected) => Assert.Equal(expected, LabFormat.Sci(value));

    [Theory]
    [InlineData(-0.00001, "+0.0000")] // .NET's "+0.0000;-0.0000" prints "-+0.0000" here
    [InlineData(0.00004, "+0.0000")]
    [InlineData(-0.00005, "-0.0001")]
    [InlineData(0.0123, "+0.0123")]
    [InlineData(-1.5, "-1.5000")]
    public void SignedNeverDoublesTheSign(double value, string expected) => Assert.Equal(expected, LabFormat.Signed(value));

    [Fact]
    public void NegativeZeroPrintsAsZero()
    {
        Assert.Equal("0.0000e+00", LabFormat.Sci(-0.0));
        Assert.Equal("+0.0000", LabFormat.Signed(-0.0));
    }

    [Fact]
    public void MatrixAlignsRowsLikePyTorch()
    {
        float[] w = [1.2101e-05f, -9.0942e-06f, 1.2101e-05f, -9.0942e-06f];
        Assert.Equal("[[ 1.2101e-05, -9.0942e-06],\n  [ 1.2101e-05, -9.0942e-06]]", LabFormat.Matrix(w, 2, 2, indent: 1));
        Assert.Equal("[9.3750e-04, 0.0000e+00]", LabFormat.Vector([0.0009375f, 0f]));
        Assert.Throws<ArgumentException>(() => LabFormat.Matrix(w, 3, 2));
    }
}

namespace Dendrite.Tests.Core;

public sealed class ErrorMessageTests
{
    [Fact]
    public void MatMulNamesBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 4).MatMul(Tensor.Zeros(5, 6)));
        Assert.Equal("MatMul: cannot multiply [3, 4] by [5, 6]: inner dimensions 4 and 5 differ", e.Message.TrimEnd('.'));
    }

    [Fact]
    public void OutOfRangeDimsAreReportedByTheOp()
    {
        var x = Tensor.Zeros(2, 3);
        AssertDimError(() => x.Sum(2), "Sum", "2");
        AssertDimError(() => x.Mean(-3), "Mean", "-3");
        AssertDimError(() => x.Transpose(0, 5), "Transpose", "5");
        AssertDimError(() => x.Softmax(2), "Softmax", "2");
        AssertDimError(() => x.LogSoftmax(-3), "LogSoftmax", "-3");
        AssertDimError(() => x.Max(3), "Max", "3");
        AssertDimError(() => x.Var(4), "Var", "4");
        AssertDimError(() => x.LogSumExp(2), "LogSumExp", "2");
        AssertDimError(() => x.ArgMax(2), "ArgMax", "2");
        AssertDimError(() => Tensor.Cat([x, x], 2), "Cat", "2");
        AssertDimError(() => x.IndexSelect(2, Tensor.FromArray(new long[] { 0 })), "IndexSelect", "2");
        AssertDimError(() => x.Narrow(2, 0, 1), "Narrow", "2");
        AssertDimError(() => x.Size(2), "Size", "2");
    }

    private static void AssertDimError(Action act, string op, string dim)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(act);
        Assert.StartsWith($"{op}: dimension {dim} is out of range for a tensor of 2 dimension(s)", e.Message);
    }

    [Fact]
    public void NarrowBeyondTheEndNamesTheSizes()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(4, 5).Narrow(1, 3, 4));
        Assert.Contains("start (3) + length (4) exceeds dimension 1 of size 5", e.Message);
    }

    [Fact]
    public void ReshapeToTheWrongSizeNamesBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Reshape(4, 2));
        Assert.Contains("[4, 2]", e.Message);
        Assert.Contains("[2, 3]", e.Message);
    }

    [Fact]
    public void FloatOnlyOpsRejectIntegerTensors()
    {
        var labels = Tensor.FromArray(new long[] { 1, 2 });
        Assert.Contains("Int64", Assert.Throws<ArgumentException>(() => labels.Softmax(0)).Message);
        Assert.Contains("Int64", Assert.Throws<ArgumentException>(() => labels.Exp()).Message);
    }
}

namespace Dendrite.Tests.NN;

/// <summary>Helpers for the functional tests: seeded random leaves and closeness checks.</summary>
internal static class FunctionalTestUtil
{
    public static Tensor Leaf(Generator g, params int[] shape)
    {
        var t = Tensor.RandN(shape, g, DType.Float64);
        t.RequiresGrad = true;
        return t;
    }

    public static void AssertClose(double[] expected, double[] actual, double tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}

using Dendrite.Autograd;

namespace Dendrite.Tests.Gradients;

/// <summary>Linear's backward picks a GEMM layout by shape; every layout must give the same gradients.</summary>
public sealed class LinearShapeTests
{
    [Theory]
    [InlineData(7, 40, 3)]    // narrow head: few output rows for the weight gradient
    [InlineData(5, 20, 16)]   // at the narrow bound
    [InlineData(6, 12, 17)]   // just past it
    [InlineData(4, 9, 5)]     // small on both sides
    [InlineData(40, 2, 5)]    // W1's first layer: tiny depth and width
    [InlineData(40, 5, 1)]    // W1's second layer: one output
    [InlineData(20, 1, 30)]   // W2's first layer: one input
    [InlineData(33, 17, 1)]   // one output, depth past a vector
    public void GradientsMatchFiniteDifferences(int rows, int inF, int outF)
    {
        var g = new Generator((ulong)(rows * 1000 + inF * 10 + outF));
        var x = Tensor.RandN([rows, inF], g, DType.Float64);
        var w = Tensor.RandN([outF, inF], g, DType.Float64);
        var b = Tensor.RandN([outF], g, DType.Float64);
        foreach (var t in new[] { x, w, b })
            t.RequiresGrad = true;
        Assert.True(GradCheck.Check(t => t[0].Linear(t[1], t[2]).Tanh().Sum(), [x, w, b]));
    }

    /// <summary>Float32 bias gradients for widths at, between and past the vectorised column sums (16, 64 per
    /// pass, scalar tail) equal the rows summed in order.</summary>
    [Theory]
    [InlineData(100, 100)]
    [InlineData(3, 16)]
    [InlineData(1, 70)]
    [InlineData(37, 129)]
    [InlineData(5, 15)]
    public void Float32BiasGradientIsTheColumnSum(int rows, int outF)
    {
        var g = new Generator((ulong)(rows * 1000 + outF));
        var x = Tensor.RandN([rows, 3], g);
        var w = Tensor.RandN([outF, 3], g);
        var b = Tensor.RandN([outF], g);
        b.RequiresGrad = true;
        var gy = Tensor.RandN([rows, outF], g);
        x.Linear(w, b).Backward(gy);
        float[] got = b.Grad!.ToArray<float>(), gyv = gy.ToArray<float>();
        for (int j = 0; j < outF; j++)
        {
            float want = gyv[j];
            for (int i = 1; i < rows; i++)
                want += gyv[i * outF + j];
            Assert.Equal(want, got[j]);
        }
    }

    /// <summary>Float32 Linear with the bias added inside the GEMM store equals x·Wᵀ followed by + b, bit for bit,
    /// for plain and transposed weights, one-feature inputs and partial tiles.</summary>
    [Theory]
    [InlineData(100, 100, 100, false)]
    [InlineData(100, 1, 100, false)]
    [InlineData(7, 20, 33, false)]
    [InlineData(31, 50, 70, true)]
    [InlineData(5, 3, 40, false)]
    public void Float32BiasFusedIntoTheProductMatchesMatMulPlusBias(int rows, int inF, int outF, bool transposedWeight)
    {
        var g = new Generator((ulong)(rows * 7 + inF * 3 + outF));
        var x = Tensor.RandN([rows, inF], g);
        var w = transposedWeight ? Tensor.RandN([inF, outF], g).T : Tensor.RandN([outF, inF], g);
        var b = Tensor.RandN([outF], g);
        var fused = x.Linear(w, b).ToArray<float>();
        var expected = x.MatMul(w.T).Add(b).ToArray<float>();
        Assert.Equal(expected, fused);
    }

    [Fact]
    public void NarrowHeadWeightGradientEqualsTheDirectProduct()
    {
        var g = new Generator(5);
        var x = Tensor.RandN([256, 784], g);
        var w = Tensor.RandN([10, 784], g);
        w.RequiresGrad = true;
        var gy = Tensor.RandN([256, 10], g);
        x.Linear(w).Backward(gy);
        var expected = gy.T.MatMul(x);
        var diff = (w.Grad! - expected).Abs().Max().Item();
        Assert.True(diff < 1e-3, $"max difference {diff}");
    }

    /// <summary>
    /// Float32 Linear on the W1/W2/W3 shapes (which take the tiny, dot-product and few-rows GEMM kernels) against
    /// the same computation in float64: output, input gradient, weight gradient and bias gradient.
    /// </summary>
    [Theory]
    [InlineData(640, 2, 5)]
    [InlineData(640, 5, 1)]
    [InlineData(160, 2, 5)]
    [InlineData(100, 1, 100)]
    [InlineData(100, 100, 1)]
    [InlineData(100, 100, 100)]
    [InlineData(256, 784, 10)]
    [InlineData(96, 784, 10)]
    [InlineData(17, 3, 7)]
    [InlineData(3, 4, 2)]
    public void Float32MatchesFloat64(int rows, int inF, int outF)
    {
        var g = new Generator((ulong)(rows * 7 + inF * 3 + outF));
        var x64 = Tensor.RandN([rows, inF], g, DType.Float64);
        var w64 = Tensor.RandN([outF, inF], g, DType.Float64);
        var b64 = Tensor.RandN([outF], g, DType.Float64);
        var gy64 = Tensor.RandN([rows, outF], g, DType.Float64);
        var x32 = x64.To(DType.Float32);
        var w32 = w64.To(DType.Float32);
        var b32 = b64.To(DType.Float32);
        // The float64 run starts from the float32-rounded values, so only the arithmetic differs.
        x64 = x32.To(DType.Float64);
        w64 = w32.To(DType.Float64);
        b64 = b32.To(DType.Float64);
        foreach (var t in new[] { x64, w64, b64, x32, w32, b32 })
            t.RequiresGrad = true;
        var y64 = x64.Linear(w64, b64);
        var y32 = x32.Linear(w32, b32);
        y64.Backward(gy64);
        y32.Backward(gy64.To(DType.Float32));
        double tol = 1e-5 * Math.Sqrt(Math.Max(inF, rows));
        AssertClose(y64, y32, tol, "y");
        AssertClose(x64.Grad!, x32.Grad!, tol, "dx");
        AssertClose(w64.Grad!, w32.Grad!, tol, "dW");
        AssertClose(b64.Grad!, b32.Grad!, tol, "db");
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tol, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double[] e = expected.ToArray<double>(), a = actual.To(DType.Float64).ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tol * (1 + Math.Abs(e[i])), $"{what}[{i}] = {a[i]}, expected {e[i]}");
    }
}

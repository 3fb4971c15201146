using Dendrite.NN;

namespace Dendrite.Tests.Ops;

/// <summary>Vectorized fast paths of small, frequent ops checked against plain scalar computations.</summary>
public sealed class FastPathTests
{
    [Fact]
    public void BoolConvertsToZeroAndOneInEveryNumericDType()
    {
        var mask = Tensor.FromArray(new double[] { 0.1, 0.9, 0.5, 0.51, -3, 7 }).Gt(0.5);
        Assert.Equal(new float[] { 0, 1, 0, 1, 0, 1 }, mask.To(DType.Float32).ToArray<float>());
        Assert.Equal(new double[] { 0, 1, 0, 1, 0, 1 }, mask.To(DType.Float64).ToArray<double>());
        Assert.Equal(new long[] { 0, 1, 0, 1, 0, 1 }, mask.To(DType.Int64).ToArray<long>());
        // A non-contiguous mask converts in logical order.
        var m2 = Tensor.FromArray(new double[] { 1, 0, 0, 1, 1, 1 }, 2, 3).Gt(0.5).T;
        Assert.Equal(new float[] { 1, 1, 0, 1, 0, 1 }, m2.To(DType.Float32).ToArray<float>());
        // Long masks take the 16-at-a-time widening plus a scalar tail.
        var values = Enumerable.Range(0, 101).Select(i => (double)((i * 37) % 11)).ToArray();
        var expected = values.Select(v => v > 5 ? 1f : 0f).ToArray();
        Assert.Equal(expected, Tensor.FromArray(values).Gt(5).To(DType.Float32).ToArray<float>());
        Assert.Equal(expected.Select(v => (double)v).ToArray(), Tensor.FromArray(values).Gt(5).To(DType.Float64).ToArray<double>());
    }

    [Fact]
    public void NumbersConvertToBoolAsNonZero()
    {
        Assert.Equal(new[] { false, true, true, true }, Tensor.FromArray(new float[] { 0, -0.5f, 2, float.NaN }).To(DType.Bool).ToArray<bool>());
        Assert.Equal(new[] { true, false }, Tensor.FromArray(new double[] { 1e-300, -0.0 }).To(DType.Bool).ToArray<bool>());
        Assert.Equal(new[] { false, true }, Tensor.FromArray(new long[] { 0, -9 }).To(DType.Bool).ToArray<bool>());
    }

    [Fact]
    public void Int64ConvertsToFloatingRoundedOnce()
    {
        long big = (1L << 40) + 12345;
        var t = Tensor.FromArray(new long[] { -3, 0, big, long.MaxValue });
        Assert.Equal(new float[] { -3, 0, big, long.MaxValue }, t.To(DType.Float32).ToArray<float>());
        Assert.Equal(new double[] { -3, 0, big, long.MaxValue }, t.To(DType.Float64).ToArray<double>());
    }

    [Theory]
    [InlineData(37)]
    [InlineData(640)]
    public void Float32BinaryCrossEntropyMatchesTheFormulaInDouble(int n)
    {
        var rng = new Generator(7);
        var p = new float[n];
        var t = new float[n];
        for (int i = 0; i < n; i++)
        {
            p[i] = (float)rng.Uniform01();
            t[i] = i % 3 == 0 ? 1f : 0f;
        }
        p[0] = 0f; // log clamps at -100 instead of -inf
        p[1] = 1f;
        p[n - 1] = 1f;
        var x = Tensor.FromArray(p);
        x.RequiresGrad = true;
        var target = Tensor.FromArray(t);
        var loss = F.BinaryCrossEntropy(x, target, reduction: Reduction.None);
        loss.Sum().Backward();
        var got = loss.ToArray<float>();
        var grad = x.Grad!.ToArray<float>();
        for (int i = 0; i < n; i++)
        {
            double xi = p[i], ti = t[i];
            double expected = -(ti * Math.Max(Math.Log(xi), -100) + (1 - ti) * Math.Max(Math.Log(1 - xi), -100));
            Assert.True(Math.Abs(got[i] - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"loss[{i}] = {got[i]}, expected {expected}");
            double expectedGrad = (xi - ti) / Math.Max(xi * (1 - xi), 1e-12);
            Assert.True(Math.Abs(grad[i] - expectedGrad) <= 1e-5 * Math.Max(1, Math.Abs(expectedGrad)), $"grad[{i}] = {grad[i]}, expected {expectedGrad}");
        }
    }

    [Fact]
    public void BinaryCrossEntropyRejectsAnOutOfRangeElementDeepInAVector()
    {
        var p = new float[64];
        Array.Fill(p, 0.5f);
        p[41] = 1.5f;
        var e = Assert.Throws<ArgumentException>(() => F.BinaryCrossEntropy(Tensor.FromArray(p), Tensor.ZerosLike(Tensor.FromArray(p))));
        Assert.Contains("element 41", e.Message);
        p[41] = float.NaN;
        Assert.Throws<ArgumentException>(() => F.BinaryCrossEntropy(Tensor.FromArray(p), Tensor.ZerosLike(Tensor.FromArray(p))));
    }

    [Theory]
    [InlineData(640, 5)]
    [InlineData(33, 1)]
    [InlineData(100, 7)]
    [InlineData(257, 10)]
    [InlineData(64, 8)]
    [InlineData(50, 15)]
    [InlineData(31, 3)]
    public void ColumnSumsOfNarrowMatricesMatchADoubleLoop(int rows, int cols)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var x = Tensor.RandN([rows, cols], new Generator((ulong)(rows * 31 + cols)), dtype);
            var got = x.Sum(0).To(DType.Float64).ToArray<double>();
            var flat = x.To(DType.Float64).ToArray<double>();
            for (int j = 0; j < cols; j++)
            {
                double s = 0;
                for (int i = 0; i < rows; i++)
                    s += flat[i * cols + j];
                Assert.True(Math.Abs(got[j] - s) <= (dtype == DType.Float32 ? 1e-4 : 1e-12) * Math.Max(1, Math.Abs(s)), $"{dtype} column {j}: {got[j]} vs {s}");
            }
            // The mean divides the same sums.
            var mean = x.Mean(0).To(DType.Float64).ToArray<double>();
            Assert.Equal(got[0] / rows, mean[0], dtype == DType.Float32 ? 1e-5 : 1e-12);
        }
    }

    [Fact]
    public void Float32SigmoidIsAccurateFromSaturationToSaturation()
    {
        // -120..120 in steps that hit many exponents, plus the tail path (length not a multiple of 16).
        var xs = new List<float>();
        for (double v = -120; v <= 120; v += 0.0371)
            xs.Add((float)v);
        xs.AddRange([0f, -0f, 1e-8f, -1e-8f, 88.5f, -88.5f, 103f, -104f, float.PositiveInfinity, float.NegativeInfinity]);
        var x = Tensor.FromArray(xs.ToArray());
        var y = x.Sigmoid().ToArray<float>();
        for (int i = 0; i < xs.Count; i++)
        {
            double expected = 1 / (1 + Math.Exp(-(double)xs[i]));
            double err = Math.Abs(y[i] - expected);
            Assert.True(err <= 4e-7 * expected + 1e-30, $"sigmoid({xs[i]}) = {y[i]}, expected {expected} (error {err})");
        }
        Assert.True(float.IsNaN(Tensor.FromArray(new[] { float.NaN }).Sigmoid().Item<float>()));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(40)]
    public void Float32CrossEntropyRowsMatchADoubleLogSoftmax(int classes)
    {
        const int rows = 23;
        var z = Tensor.RandN([rows, classes], new Generator((ulong)classes), DType.Float32) * 4.0;
        var labels = new long[rows];
        for (int i = 0; i < rows; i++)
            labels[i] = (i * 7) % classes;
        var logits = z.Detach();
        logits.RequiresGrad = true;
        var loss = F.CrossEntropy(logits, Tensor.FromArray(labels));
        loss.Backward();
        var zd = z.To(DType.Float64).ToArray<double>();
        var grad = logits.Grad!.ToArray<float>();
        double total = 0;
        for (int i = 0; i < rows; i++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int j = 0; j < classes; j++)
                max = Math.Max(max, zd[i * classes + j]);
            for (int j = 0; j < classes; j++)
                sum += Math.Exp(zd[i * classes + j] - max);
            double lse = max + Math.Log(sum);
            total += lse - zd[i * classes + labels[i]];
            for (int j = 0; j < classes; j++)
            {
                double expected = (Math.Exp(zd[i * classes + j] - lse) - (j == labels[i] ? 1 : 0)) / rows;
                Assert.True(Math.Abs(grad[i * classes + j] - expected) <= 1e-6, $"grad[{i},{j}] = {grad[i * classes + j]}, expected {expected}");
            }
        }
        Assert.Equal(total / rows, loss.Item(), 1e-5);
    }

    [Fact]
    public void Float32CrossEntropyHandlesInfiniteAndNaNLogits()
    {
        float ninf = float.NegativeInfinity;
        // A masked class (-inf) is simply impossible; +inf or NaN make the loss non-finite, as in PyTorch.
        var masked = Tensor.FromArray(new float[] { 0, ninf, 0, ninf }, 1, 4);
        Assert.Equal(Math.Log(2), F.CrossEntropy(masked, Tensor.FromArray(new long[] { 0 })).Item(), 1e-6);
        Assert.True(double.IsNaN(F.CrossEntropy(Tensor.FromArray(new float[] { 0, float.NaN, 1 }, 1, 3), Tensor.FromArray(new long[] { 0 })).Item()));
        var inf = F.CrossEntropy(Tensor.FromArray(new float[] { 0, float.PositiveInfinity, 1 }, 1, 3), Tensor.FromArray(new long[] { 0 })).Item();
        Assert.False(double.IsFinite(inf));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    [InlineData(60000)]
    public void PermutationArgsortsTheRawStreamExactly(int n)
    {
        var keys = new ulong[n];
        new Generator(11).NextUInt64(keys);
        var expected = Enumerable.Range(0, n).ToArray();
        Array.Sort((ulong[])keys.Clone(), expected);
        Assert.Equal(expected, new Generator(11).Permutation(n));
    }

    [Fact]
    public void ArgSortIsCorrectForKeysThatAreNotRandom()
    {
        // Small integers all land in the first bucket; descending runs and duplicates of the top bits too.
        var rng = new Generator(3);
        foreach (int n in new[] { 100, 5000 })
        {
            var small = Enumerable.Range(0, n).Select(i => (ulong)((i * 7919) % n)).ToArray();
            var clustered = Enumerable.Range(0, n).Select(i => (0xABCDUL << 48) | (rng.NextUInt64() >> 20)).ToArray();
            var descending = Enumerable.Range(0, n).Select(i => ulong.MaxValue - (ulong)i * 1000003UL).ToArray();
            foreach (var keys in new[] { small, clustered, descending })
            {
                var expected = Enumerable.Range(0, n).ToArray();
                Array.Sort((ulong[])keys.Clone(), expected);
                Assert.Equal(expected, Generator.ArgSort(keys));
            }
        }
    }

    [Fact]
    public void Float32VectorLogIsAccurateOverTheWholeRange()
    {
        if (!System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
            return; // the kernel is only used on AVX-512 machines
        var xs = new List<float> { 0f, -0f, 1f, 2f, 0.5f, float.Epsilon, 1e-40f, 1.17549435e-38f, float.MaxValue, float.PositiveInfinity, -1f, float.NaN, 0.99999994f, 1.0000001f };
        for (double v = 1e-44; v < 3e38; v *= 1.37)
            xs.Add((float)v);
        while (xs.Count % 16 != 0)
            xs.Add(1.5f);
        for (int i = 0; i < xs.Count; i += 16)
        {
            var v = System.Runtime.Intrinsics.Vector512.Create(xs.GetRange(i, 16).ToArray());
            var r = Dendrite.Backends.Cpu.VectorExp.Log(v);
            for (int j = 0; j < 16; j++)
            {
                float x = xs[i + j];
                float got = System.Runtime.Intrinsics.Vector512.GetElement(r, j);
                double expected = Math.Log(x);
                if (double.IsNaN(expected))
                    Assert.True(float.IsNaN(got), $"log({x}) = {got}, expected NaN");
                else if (double.IsInfinity(expected))
                    Assert.Equal((float)expected, got);
                else
                    Assert.True(Math.Abs(got - expected) <= 2e-7 * Math.Max(1, Math.Abs(expected)), $"log({x:R}) = {got:R}, expected {expected:R}");
            }
        }
    }

    [Fact]
    public void Float32ReluKeepsNaNAndGivesPositiveZero()
    {
        var xs = new List<float> { -0f, 0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e-45f, -1e-45f };
        for (int i = 0; i < 40; i++)
            xs.Add((i - 20) * 0.37f);
        var y = Tensor.FromArray(xs.ToArray()).Relu().ToArray<float>();
        for (int i = 0; i < xs.Count; i++)
        {
            float x = xs[i];
            float expected = float.IsNaN(x) ? float.NaN : x > 0 ? x : 0f;
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(y[i]));
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void ActivationGradientsOverLongVectorsMatchTheirFormulas(DType dtype)
    {
        // 103 elements: whole 512-bit vectors plus a scalar tail in the fused backward loops.
        var x = Tensor.RandN([103], new Generator(5), dtype) * 3.0;
        var g = Tensor.RandN([103], new Generator(6), dtype);
        var xs = x.To(DType.Float64).ToArray<double>();
        var gs = g.To(DType.Float64).ToArray<double>();
        foreach (var (name, f, d) in new (string, Func<Tensor, Tensor>, Func<double, double>)[]
        {
            ("sigmoid", t => t.Sigmoid(), v => { double s = 1 / (1 + Math.Exp(-v)); return s * (1 - s); }),
            ("tanh", t => t.Tanh(), v => 1 - Math.Tanh(v) * Math.Tanh(v)),
            ("relu", t => t.Relu(), v => v > 0 ? 1 : 0),
        })
        {
            var xi = x.Detach();
            xi.RequiresGrad = true;
            f(xi).Backward(g);
            var got = xi.Grad!.To(DType.Float64).ToArray<double>();
            for (int i = 0; i < xs.Length; i++)
            {
                double expected = gs[i] * d(xs[i]);
                double tol = dtype == DType.Float32 ? 1e-5 : 1e-12;
                Assert.True(Math.Abs(got[i] - expected) <= tol * Math.Max(1, Math.Abs(expected)), $"{name} {dtype} [{i}]: {got[i]} vs {expected}");
            }
        }
    }
}

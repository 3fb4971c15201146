using System.Numerics;
using Dendrite.Backends.Cpu;

namespace Dendrite.Tests.Backends;

public sealed class GemmTests
{
    private static T[] Random<T>(Random rng, int count) where T : IFloatingPointIeee754<T>
    {
        var x = new T[count];
        for (int i = 0; i < count; i++)
            x[i] = T.CreateChecked(rng.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>Runs the fast path and the reference on the same inputs (with padded leading
    /// dimensions when <paramref name="pad"/> > 0) and compares every element of C.</summary>
    private static void Check<T>(bool ta, bool tb, int m, int n, int k, T alpha, T beta, int pad = 0, int seed = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = Math.Max(1, aCols) + pad, ldb = Math.Max(1, bCols) + pad, ldc = Math.Max(1, n) + pad;
        T[] a = Random<T>(rng, Math.Max(0, (aRows - 1) * lda + aCols));
        T[] b = Random<T>(rng, Math.Max(0, (bRows - 1) * ldb + bCols));
        T[] c = Random<T>(rng, Math.Max(0, (m - 1) * ldc + n));
        if (beta == T.Zero)
            Array.Fill(c, T.NaN);
        T[] expected = (T[])c.Clone();
        GemmReference.Run<T>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
        if (typeof(T) == typeof(float))
            Gemm.Sgemm(ta, tb, m, n, k, float.CreateChecked(alpha), (float[])(object)a, lda, (float[])(object)b, ldb,
                float.CreateChecked(beta), (float[])(object)c, ldc);
        else
            Gemm.Dgemm(ta, tb, m, n, k, double.CreateChecked(alpha), (double[])(object)a, lda, (double[])(object)b, ldb,
                double.CreateChecked(beta), (double[])(object)c, ldc);

        double tol = (typeof(T) == typeof(float) ? 2e-6 : 1e-14) * Math.Sqrt(k + 1) * 4;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc && i * ldc + j < c.Length; j++)
            {
                double got = double.CreateChecked(c[i * ldc + j]), want = double.CreateChecked(expected[i * ldc + j]);
                if (j >= n)
                {
                    // Padding between rows must be untouched (it is NaN when beta = 0, random otherwise).
                    Assert.True(got.Equals(want), $"padding C[{i},{j}] was changed");
                    continue;
                }
                Assert.False(double.IsNaN(got), $"NaN at C[{i},{j}] ({m}x{n}x{k}, ta={ta}, tb={tb})");
                Assert.True(Math.Abs(got - want) <= tol * (1 + Math.Abs(want)),
                    $"C[{i},{j}] = {got}, expected {want} ({m}x{n}x{k}, ta={ta}, tb={tb}, alpha={alpha}, beta={beta})");
            }
        }
    }

    // The reference loop is slow; the largest shape gets one alpha/beta variant per precision.
    private const long BigShape = 4_000_000;

    public static IEnumerable<object[]> Shapes()
    {
        int[][] shapes =
        [
            [1, 1, 1], [3, 7, 17], [7, 3, 1], [17, 33, 65], [33, 65, 17], [65, 127, 130], [127, 130, 257],
            [130, 33, 300], [257, 65, 7], [300, 517, 129], [640, 5, 2], [256, 10, 784], [12, 32, 256], [24, 64, 512],
            [101, 9, 45], [66, 16, 33], [7, 8, 301], [203, 1, 77], [45, 3, 1000], [5, 3, 9000],
            // A few rank-1 updates (k ≤ 4, B not transposed) on the unpacked loop.
            [100, 100, 1], [33, 70, 4], [9, 250, 3],
            // Dot-product path (A·Bᵀ, n ≤ 16, k ≥ one vector): partial row/column tiles, depth tails.
            [9, 16, 17], [5, 11, 33], [13, 1, 16], [2, 15, 100], [17, 7, 8], [3, 10, 31],
            // Few-rows path (m ≤ 16, B not transposed, n ≥ two vectors): partial tiles, column tails.
            [10, 784, 256], [1, 100, 100], [5, 33, 7], [16, 97, 3], [3, 64, 1], [7, 130, 2], [11, 65, 40],
            // Packed path with 1-4 rows past the last whole 12-row panel (the narrow edge tile), depths split evenly.
            [256, 96, 784], [253, 70, 300], [230, 64, 260], [255, 40, 520],
        ];
        foreach (int[] s in shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    yield return [ta, tb, s[0], s[1], s[2]];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SgemmMatchesReference(bool ta, bool tb, int m, int n, int k)
    {
        Check(ta, tb, m, n, k, 1f, 0f);
        if ((long)m * n * k <= BigShape)
            Check(ta, tb, m, n, k, -0.5f, 1.5f, pad: 3, seed: 2);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void DgemmMatchesReference(bool ta, bool tb, int m, int n, int k)
    {
        Check(ta, tb, m, n, k, 2.0, -1.0, pad: 5, seed: 3);
        if ((long)m * n * k <= BigShape)
            Check(ta, tb, m, n, k, 1.0, 0.0);
    }

    [Theory]
    [InlineData(640, 5, 2)]
    [InlineData(160, 5, 2)]
    [InlineData(640, 5, 1)]
    [InlineData(640, 1, 1)]
    [InlineData(33, 3, 3)]
    [InlineData(17, 2, 2)]
    [InlineData(16, 16, 1)]
    [InlineData(7, 5, 3)]
    [InlineData(101, 4, 4)]
    [InlineData(9, 7, 2)]
    public void TinyFlatShapesMatchReference(int m, int n, int k)
    {
        // Packed A and C (no padding) take the flat-output kernel; padded ones take the general paths.
        foreach (bool tb in new[] { false, true })
        {
            Check(false, tb, m, n, k, 1f, 0f);
            Check(false, tb, m, n, k, -0.5f, 1.5f, seed: 4);
            Check(false, tb, m, n, k, 2f, 1f, pad: 2, seed: 5);
        }
    }

    [Theory]
    [InlineData(640, 5)]
    [InlineData(160, 5)]
    [InlineData(16, 1)]
    [InlineData(37, 15)]
    [InlineData(100, 3)]
    public void TinyColumnShapesMatchReference(int m, int k)
    {
        foreach (bool tb in new[] { false, true })
        {
            Check(false, tb, m, 1, k, 1f, 0f);
            Check(false, tb, m, 1, k, -0.5f, 1.5f, pad: 3, seed: 8);
            Check(false, tb, m, 1, k, 2f, 1f, seed: 9);
        }
    }

    [Theory]
    [InlineData(5, 2, 640)]
    [InlineData(1, 5, 640)]
    [InlineData(4, 4, 7)]
    [InlineData(1, 1, 4)]
    [InlineData(3, 5, 33)]
    [InlineData(16, 1, 100)]
    [InlineData(2, 8, 5)]
    public void TinyOuterShapesMatchReference(int m, int n, int k)
    {
        Check(true, false, m, n, k, 1f, 0f);
        Check(true, false, m, n, k, 0.5f, -2f, pad: 3, seed: 6);
        Check(true, false, m, n, k, 1.0, 1.0, seed: 7);
        // A single row of op(A) or column of op(B) is contiguous along the depth either way.
        if (m == 1)
            Check(false, false, m, n, k, -1f, 0.5f, pad: 2, seed: 10);
        if (n == 1)
            Check(true, true, m, n, k, 1f, 0f, pad: 1, seed: 11);
        if (m == 1 && n == 1)
            Check(false, true, m, n, k, 1f, 1f, seed: 12);
    }

    /// <summary>The unpacked strip path (float, n > 16, k ≤ 256): every strip width (1-4 vectors, the last one
    /// partial or full), every row remainder (1-5 after tiles of 6), all transposes and store modes, padded strides.</summary>
    [Theory]
    [InlineData(100, 100, 100)]
    [InlineData(101, 17, 5)]
    [InlineData(7, 65, 256)]
    [InlineData(13, 80, 1)]
    [InlineData(6, 33, 9)]
    [InlineData(11, 113, 31)]
    [InlineData(100, 100, 1)]
    [InlineData(20, 48, 100)]
    [InlineData(33, 128, 64)]
    [InlineData(34, 200, 17)]
    [InlineData(35, 97, 256)]
    public void StripShapesMatchReference(int m, int n, int k)
    {
        Assert.True(GemmKernelStrip.Applies(new GemmProblem<float> { M = m, N = n, K = k }, GemmIsa.Avx512));
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                Check(ta, tb, m, n, k, 1f, 0f);
                Check(ta, tb, m, n, k, 1f, 1f, pad: 3, seed: 4);
                Check(ta, tb, m, n, k, -0.5f, 1.5f, pad: 17, seed: 5);
                Check(ta, tb, m, n, k, 2f, 0f, pad: 1, seed: 6);
            }
    }

    /// <summary>One output column of Aᵀ·b (A stored k×m) on the strip path as the row bᵀ·A: partial strips,
    /// strided b, every store mode.</summary>
    [Theory]
    [InlineData(100, 100)]
    [InlineData(17, 5)]
    [InlineData(203, 77)]
    [InlineData(64, 1)]
    [InlineData(130, 300)]
    public void StripColumnOfTransposedAMatchesReference(int m, int k)
    {
        Assert.True(GemmKernelStrip.Applies(new GemmProblem<float> { TransA = true, M = m, N = 1, K = k, Ldc = 1 }, GemmIsa.Avx512));
        foreach (bool tb in new[] { false, true })
        {
            Check(true, tb, m, 1, k, 1f, 0f);
            Check(true, tb, m, 1, k, 1f, 1f, seed: 4);
            Check(true, tb, m, 1, k, -0.5f, 1.5f, pad: 3, seed: 5);
        }
    }

    [Theory]
    [InlineData(1f, 1f)]
    [InlineData(0.25f, 0f)]
    [InlineData(0f, 2f)]
    [InlineData(0f, 0f)]
    [InlineData(3f, 0.5f)]
    public void AlphaBetaCombinations(float alpha, float beta)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                Check(ta, tb, 50, 70, 300, alpha, beta);
                Check(ta, tb, 5, 4, 3, alpha, beta, pad: 2);
            }
    }

    [Fact]
    public void KZeroScalesC()
    {
        Check(false, false, 5, 6, 0, 1f, 0f);
        Check(false, true, 5, 6, 0, 1f, 2f);
        Check(true, false, 5, 6, 0, 1.0, 0.5);
    }

    [Fact]
    public void EmptyOutputsAreNoOps()
    {
        Gemm.Sgemm(false, false, 0, 5, 3, 1f, [], 3, new float[15], 5, 0f, [], 5);
        Gemm.Sgemm(false, false, 4, 0, 3, 1f, new float[12], 3, [], 1, 0f, [], 1);
    }

    [Fact]
    public void EveryTileKindMatchesReference()
    {
        GemmIsa saved = GemmBlocking.Isa;
        try
        {
            foreach (GemmIsa isa in Enum.GetValues<GemmIsa>())
            {
                if (isa > GemmBlocking.DefaultIsa())
                    continue;
                GemmBlocking.Isa = isa;
                Check(false, false, 61, 77, 300, 1f, 0f);
                Check(true, true, 61, 77, 300, 1f, 0.5f);
                Check(false, true, 40, 19, 129, 1.0, 0.0);
                Check(true, false, 40, 19, 129, 1.0, 1.0);
            }
        }
        finally
        {
            GemmBlocking.Isa = saved;
        }
    }

    /// <summary>The strip path splits row tiles over threads above its parallel threshold: same bits at 1, 2, 3
    /// threads, for every transpose (the transposed B copy is shared by the chunks).</summary>
    [Theory]
    [InlineData(128, 128, 128)]
    [InlineData(131, 70, 120)]
    public void StripMultiThreadedMatchesSingleThreaded(int m, int n, int k)
    {
        int saved = Threads.Count;
        try
        {
            var rng = new Random(8);
            float[] a = Random<float>(rng, m * k), b = Random<float>(rng, k * n);
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    int lda = ta ? m : k, ldb = tb ? k : n;
                    float[][] c = [new float[m * n], new float[m * n], new float[m * n]];
                    for (int t = 1; t <= 3; t++)
                    {
                        Threads.Count = t;
                        Gemm.Sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c[t - 1], n);
                    }
                    Assert.Equal(c[0], c[1]);
                    Assert.Equal(c[0], c[2]);
                    Check(ta, tb, m, n, k, 1f, 0f);
                }
        }
        finally
        {
            Threads.Count = saved;
        }
    }

    [Fact]
    public void MultiThreadedMatchesSingleThreaded()
    {
        int saved = Threads.Count;
        try
        {
            var rng = new Random(7);
            int m = 203, n = 311, k = 270;
            float[] a = Random<float>(rng, m * k), b = Random<float>(rng, k * n);
            var c1 = new float[m * n];
            var c2 = new float[m * n];
            var c3 = new float[m * n];
            Threads.Count = 1;
            Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c1, n);
            Threads.Count = 2;
            Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c2, n);
            Threads.Count = 3;
            Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c3, n);
            // Each C element is computed by exactly one thread in the same order: bit-identical.
            Assert.Equal(c1, c2);
            Assert.Equal(c1, c3);
        }
        finally
        {
            Threads.Count = saved;
        }
    }

    [Fact]
    public void RepeatedCallsDoNotAllocate()
    {
        int saved = Threads.Count;
        try
        {
            Threads.Count = 2;
            var rng = new Random(5);
            float[] a = Random<float>(rng, 200 * 300), b = Random<float>(rng, 300 * 250), c = new float[200 * 250];
            float[] x = Random<float>(rng, 64 * 100), w = Random<float>(rng, 10 * 100), y = new float[64 * 10];
            for (int i = 0; i < 3; i++)
            {
                Gemm.Sgemm(false, false, 200, 250, 300, 1f, a, 300, b, 250, 0f, c, 250);
                Gemm.Sgemm(false, true, 64, 10, 100, 1f, x, 100, w, 100, 0f, y, 10);
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5; i++)
            {
                Gemm.Sgemm(false, false, 200, 250, 300, 1f, a, 300, b, 250, 0f, c, 250);
                Gemm.Sgemm(false, true, 64, 10, 100, 1f, x, 100, w, 100, 0f, y, 10);
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        finally
        {
            Threads.Count = saved;
        }
    }

    [Fact]
    public void ValidatesArguments()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        var e = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 3, 1f, a, 3, b, 2, 0f, new float[3], 2));
        Assert.Contains("Gemm", e.Message);
        Assert.Contains("span C has 3 elements", e.Message);
        Assert.Contains("m=2, n=2, k=3", e.Message);

        e = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 3, 1f, a, 2, b, 2, 0f, c, 2));
        Assert.Contains("lda=2", e.Message);

        e = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, true, 2, 2, 3, 1f, a, 3, b, 2, 0f, c, 2));
        Assert.Contains("ldb=2", e.Message);

        e = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 3, 1f, a, 3, new float[5], 2, 0f, c, 2));
        Assert.Contains("span B has 5 elements", e.Message);

        e = Assert.Throws<ArgumentException>(() => Gemm.Dgemm(true, false, 2, 2, 3, 1, new double[5], 2, new double[6], 2, 0, new double[4], 2));
        Assert.Contains("span A has 5 elements", e.Message);

        e = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, -1, 2, 3, 1f, a, 3, b, 2, 0f, c, 2));
        Assert.Contains("non-negative", e.Message);

        e = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 3, 1f, a, 3, b, 2, 0f, c, 1));
        Assert.Contains("ldc=1", e.Message);
    }
}

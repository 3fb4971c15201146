using Dendrite.Backends;
using Dendrite.Gpu.Kernels.Reductions;
using static Dendrite.Tests.Gpu.BackendPair;

namespace Dendrite.Tests.Gpu;

/// <summary>
/// The class-index loss kernels of the GPU backend (cross-entropy, NLL, their backward passes, the reduction and the
/// label check) on ilgpu-cpu against the CPU backend, on the automatic (barrier-free) teams and on forced warp and
/// group teams.
/// </summary>
[Trait("Category", "Gpu")]
public sealed class ClassLossBackendTests
{
    private const long Ignore = -100;

    // Labels in [0, c) with every fifth row ignored (all rows when ignoreAll).
    private static long[] Labels(int m, int c, int seed, bool ignoreAll = false)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, m).Select(i => ignoreAll || i % 5 == 3 ? Ignore : rng.Next(c)).ToArray();
    }

    private sealed record Case(int M, int C, bool Weighted, double Smoothing, bool IgnoreAll = false, bool Special = false);

    // Logits with a shifted row, and (Special) a row holding +∞, one holding NaN and one far out (1e4).
    private static double[] Logits(Case k, int seed)
    {
        var z = Uniform(k.M * k.C, seed, -4, 4);
        if (k.M > 2)
            for (int j = 0; j < k.C; j++)
                z[2 * k.C + j] += 50;
        if (k.Special && k.M > 6)
        {
            z[4 * k.C] = double.PositiveInfinity;
            z[5 * k.C + k.C - 1] = double.NaN;
            z[6 * k.C] = 1e4;
        }
        return z;
    }

    private static void Check(IBackend gpu, DType dtype, Case k)
    {
        int m = k.M, c = k.C;
        var z = Logits(k, m * 31 + c);
        var y = Labels(m, c, m + c, k.IgnoreAll);
        var w = k.Weighted ? Uniform(c, c, 0.2, 2) : null;
        StorageView? W(IBackend b) => w is null ? null : Put(b, w, c);
        var (cz, gz) = (Put(Cpu, Typed(dtype, z), m, c), Put(gpu, Typed(dtype, z), m, c));
        var (cy, gy) = (Put(Cpu, y, m), Put(gpu, y, m));
        var (cw, gw) = (W(Cpu), W(gpu));
        string what = $"{dtype} {k}";

        var (cl, gl) = (Output(Cpu, DType.Float64, m), Output(gpu, DType.Float64, m));
        var (cr, gr) = (Output(Cpu, DType.Float64, m), Output(gpu, DType.Float64, m));
        Cpu.CrossEntropy(cz, cy, cw, m, c, k.Smoothing, Ignore, cl, cr);
        gpu.CrossEntropy(gz, gy, gw, m, c, k.Smoothing, Ignore, gl, gr);
        // The float32 CPU path sums exponentials in float32 (the GPU in double): compare at float tolerance.
        var (rel, abs) = Tolerance(dtype);
        Close(Get(Cpu, cl), Get(gpu, gl), rel, abs, $"CE lse {what}");
        Close(Get(Cpu, cr), Get(gpu, gr), rel * 10, abs * 10, $"CE per-row {what}");

        foreach (bool mean in new[] { true, false })
        {
            var (co, go) = (Output(Cpu, dtype), Output(gpu, dtype));
            var (cd, gd) = (Output(Cpu, DType.Float64), Output(gpu, DType.Float64));
            Cpu.ReduceClassLoss(cr, cy, cw, Ignore, mean, co, cd);
            gpu.ReduceClassLoss(gr, gy, gw, Ignore, mean, go, gd);
            Same(gpu, cd, gd, $"denominator mean={mean} {what}");
            Close(Get(Cpu, co), Get(gpu, go), rel * 10, abs * 10, $"reduced loss mean={mean} {what}");

            // Backward of the reduced loss (gy 0-d, scaled by the denominator) and of the per-row loss (gy [M]).
            var g0 = Typed(dtype, [0.7]);
            var (cdz, gdz) = (Output(Cpu, dtype, m, c), Output(gpu, dtype, m, c));
            Cpu.CrossEntropyBackward(cz, cy, cw, cl, Put(Cpu, g0, []), cd, m, c, k.Smoothing, Ignore, cdz);
            gpu.CrossEntropyBackward(gz, gy, gw, gl, Put(gpu, g0, []), gd, m, c, k.Smoothing, Ignore, gdz);
            Same(gpu, cdz, gdz, $"CE backward (reduced, mean={mean}) {what}");

            var (cnl, gnl) = (Output(Cpu, DType.Float64, m), Output(gpu, DType.Float64, m));
            Cpu.NllLoss(cz, cy, cw, m, c, Ignore, cnl);
            gpu.NllLoss(gz, gy, gw, m, c, Ignore, gnl);
            Same(gpu, cnl, gnl, $"NLL {what}");
            var (cdl, gdl) = (Output(Cpu, dtype, m, c), Output(gpu, dtype, m, c));
            Cpu.NllLossBackward(cy, cw, Put(Cpu, g0, []), cd, m, c, Ignore, cdl);
            gpu.NllLossBackward(gy, gw, Put(gpu, g0, []), gd, m, c, Ignore, gdl);
            Same(gpu, cdl, gdl, $"NLL backward (reduced, mean={mean}) {what}");
        }

        var rows = Typed(dtype, Uniform(m, 5, -1, 1));
        var (cdz2, gdz2) = (Output(Cpu, dtype, m, c), Output(gpu, dtype, m, c));
        Cpu.CrossEntropyBackward(cz, cy, cw, cl, Put(Cpu, rows, m), null, m, c, k.Smoothing, Ignore, cdz2);
        gpu.CrossEntropyBackward(gz, gy, gw, gl, Put(gpu, rows, m), null, m, c, k.Smoothing, Ignore, gdz2);
        Same(gpu, cdz2, gdz2, $"CE backward (per row) {what}");
        var (cdl2, gdl2) = (Output(Cpu, dtype, m, c), Output(gpu, dtype, m, c));
        Cpu.NllLossBackward(cy, cw, Put(Cpu, rows, m), null, m, c, Ignore, cdl2);
        gpu.NllLossBackward(gy, gw, Put(gpu, rows, m), null, m, c, Ignore, gdl2);
        Same(gpu, cdl2, gdl2, $"NLL backward (per row) {what}");
    }

    public static TheoryData<DType, int, int, bool, double, bool> Cases => new()
    {
        { DType.Float32, 1, 1, false, 0.0, false },
        { DType.Float32, 9, 3, false, 0.0, true },
        { DType.Float32, 12, 50, true, 0.1, true },
        { DType.Float32, 6, 7, true, 0.2, false },
        { DType.Float64, 9, 3, false, 0.0, true },
        { DType.Float64, 12, 50, true, 0.1, true },
        { DType.Float64, 12, 50, false, 0.3, false },
        { DType.Float64, 3, 700, true, 0.0, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void CrossEntropyAndNllMatchTheCpu(DType dtype, int m, int c, bool weighted, double smoothing, bool special) =>
        Check(Ilgpu, dtype, new Case(m, c, weighted, smoothing, Special: special));

    [Theory]
    [InlineData(DType.Float32, false)]
    [InlineData(DType.Float64, true)]
    public void AllRowsIgnoredGiveNaNMeanAndZeroGradients(DType dtype, bool weighted)
    {
        Check(Ilgpu, dtype, new Case(4, 5, weighted, 0.1, IgnoreAll: true));
        var perRow = Put(Ilgpu, new double[4], 4);
        var output = Output(Ilgpu, dtype);
        var denominator = Output(Ilgpu, DType.Float64);
        Ilgpu.ReduceClassLoss(perRow, Put(Ilgpu, Labels(4, 5, 1, ignoreAll: true), 4), null, Ignore, true, output, denominator);
        Assert.Equal(0.0, Get(Ilgpu, denominator)[0]);
        Assert.True(double.IsNaN(Get(Ilgpu, output)[0]));
    }

    [Fact]
    public void EmptyBatchReducesToNaNMeanAndZeroSum()
    {
        var empty = Put(Ilgpu, Array.Empty<double>(), 0);
        var labels = Put(Ilgpu, Array.Empty<long>(), 0);
        var output = Output(Ilgpu, DType.Float32);
        var denominator = Output(Ilgpu, DType.Float64);
        Ilgpu.CrossEntropy(Put(Ilgpu, Array.Empty<float>(), 0, 3), labels, null, 0, 3, 0, Ignore, empty, empty);
        Ilgpu.ReduceClassLoss(empty, labels, null, Ignore, false, output, denominator);
        Assert.Equal([0.0], Get(Ilgpu, output));
        Ilgpu.ReduceClassLoss(empty, labels, null, Ignore, true, output, denominator);
        Assert.True(double.IsNaN(Get(Ilgpu, output)[0]));
    }

    // Warp teams (rows of up to a couple of thousand classes on CUDA) and group teams (longer rows), forced on a
    // private ilgpu-cpu device with 256-thread groups; more rows than teams, classes not a multiple of 32.
    [Theory]
    [InlineData(TeamKind.Warp, DType.Float32, 20, 70, true, 0.1)]
    [InlineData(TeamKind.Warp, DType.Float64, 20, 33, false, 0.0)]
    [InlineData(TeamKind.Group, DType.Float64, 9, 600, true, 0.2)]
    [InlineData(TeamKind.Group, DType.Float32, 5, 300, false, 0.0)]
    public void CollectiveTeamsMatchTheCpu(object team, DType dtype, int m, int c, bool weighted, double smoothing) =>
        Check(Forced((TeamKind)team), dtype, new Case(m, c, weighted, smoothing, Special: true));

    [Fact]
    public void FindInvalidLabelReportsTheFirstOffenderInAnyLayout()
    {
        foreach (var gpu in new[] { Ilgpu, Forced(TeamKind.Group) })
        {
            var labels = Labels(3000, 10, 4);
            Assert.Null(gpu.FindInvalidLabel(Put(gpu, labels, 3000), 10, Ignore));
            Assert.Null(gpu.FindInvalidLabel(Put(gpu, Array.Empty<long>(), 0), 10, Ignore));
            labels[2999] = 10;
            Assert.Equal((2999L, 10L), gpu.FindInvalidLabel(Put(gpu, labels, 3000), 10, Ignore));
            labels[1234] = -1;
            Assert.Equal((1234L, -1L), gpu.FindInvalidLabel(Put(gpu, labels, 3000), 10, Ignore));
            // With another ignore index the rows labelled −100 are the first offenders.
            Assert.Equal((3L, -100L), gpu.FindInvalidLabel(Put(gpu, labels, 3000), 10, ignoreIndex: -1));

            // A strided column of a [3, 2] block: positions count in the view's row-major order.
            var block = gpu.FromHost(new long[] { 0, 1, 1, -100, 12, 5 });
            var column = new StorageView(block, [3], [2], 1);
            Assert.Equal((2L, 5L), gpu.FindInvalidLabel(column, 2, Ignore));
            Assert.Equal(Cpu.FindInvalidLabel(new StorageView(Cpu.FromHost(new long[] { 0, 1, 1, -100, 12, 5 }), [3], [2], 1), 2, Ignore),
                gpu.FindInvalidLabel(column, 2, Ignore));
        }
    }
}

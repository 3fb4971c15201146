using Dendrite.Backends;
using Dendrite.Gpu.Kernels.Reductions;
using static Dendrite.Tests.Gpu.BackendPair;

namespace Dendrite.Tests.Gpu;

/// <summary>The elementwise loss kernels of the GPU backend on ilgpu-cpu against the CPU backend, float32 and float64.</summary>
[Trait("Category", "Gpu")]
public sealed class LossBackendTests
{
    private static readonly LossPart[] AllParts = [LossPart.Value, LossPart.GradInput, LossPart.GradTarget, LossPart.GradPosWeight];

    // Probabilities with the edges 0, 1, ½, a tiny one and one just below 1, then random ones.
    private static double[] Probabilities(int n, int seed)
    {
        var x = Uniform(n, seed, 0, 1);
        double[] edges = [0, 1, 0.5, 1e-30, 1 - 1e-7, 1e-3];
        for (int i = 0; i < Math.Min(n, edges.Length); i++)
            x[i] = edges[i];
        return x;
    }

    [Theory]
    [InlineData(DType.Float32, 0)]
    [InlineData(DType.Float32, 1)]
    [InlineData(DType.Float32, 1000)]
    [InlineData(DType.Float64, 7)]
    [InlineData(DType.Float64, 1000)]
    public void BinaryCrossEntropyMatchesTheCpu(DType dtype, int n)
    {
        var x = Probabilities(n, n + 1);
        if (n > 10)
            x[9] = double.NaN;
        var t = Uniform(n, n + 2, 0, 1);
        var g = Uniform(n, n + 3, -2, 2);
        foreach (var part in AllParts)
        {
            var cy = Output(Cpu, dtype, n);
            var gy = Output(Ilgpu, dtype, n);
            Cpu.BinaryCrossEntropy(part, Put(Cpu, Typed(dtype, x), n), Put(Cpu, Typed(dtype, t), n),
                part == LossPart.Value ? null : Put(Cpu, Typed(dtype, g), n), cy);
            Ilgpu.BinaryCrossEntropy(part, Put(Ilgpu, Typed(dtype, x), n), Put(Ilgpu, Typed(dtype, t), n),
                part == LossPart.Value ? null : Put(Ilgpu, Typed(dtype, g), n), gy);
            // d/dt subtracts two logs: compare it at the scale of the logs.
            var (rel, abs) = Tolerance(dtype);
            Close(Get(Cpu, cy), Get(Ilgpu, gy), rel, part == LossPart.Value ? abs : abs * 100, $"BCE {part} {dtype} n={n}");
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void FindNonProbabilityReportsTheFirstOffender(DType dtype)
    {
        foreach (var gpu in new[] { Ilgpu, Forced(TeamKind.Group), Forced(TeamKind.Warp) })
        {
            Assert.Null(gpu.FindNonProbability(Put(gpu, Typed(dtype, []), 0)));
            var x = Probabilities(5000, 3);
            Assert.Null(gpu.FindNonProbability(Put(gpu, Typed(dtype, x), 5000)));
            x[4999] = 1.5;
            Assert.Equal((4999L, 1.5), gpu.FindNonProbability(Put(gpu, Typed(dtype, x), 5000)));
            x[4321] = double.NaN;
            var found = gpu.FindNonProbability(Put(gpu, Typed(dtype, x), 5000));
            Assert.Equal(4321L, found!.Value.Position);
            Assert.True(double.IsNaN(found.Value.Value));
            x[7] = -0.25;
            Assert.Equal((7L, -0.25), gpu.FindNonProbability(Put(gpu, Typed(dtype, x), 5000)));
            Assert.Equal(Cpu.FindNonProbability(Put(Cpu, Typed(dtype, x), 5000)), gpu.FindNonProbability(Put(gpu, Typed(dtype, x), 5000)));
            // A view that starts inside its storage: positions are relative to the view.
            var offset = new StorageView(gpu.FromHost(Typed(dtype, [2.0, 0.5, 3.0])), [2], [1], 1);
            Assert.Equal((1L, 3.0), gpu.FindNonProbability(offset));
        }
    }

    [Theory]
    [InlineData(DType.Float32, false)]
    [InlineData(DType.Float32, true)]
    [InlineData(DType.Float64, false)]
    [InlineData(DType.Float64, true)]
    public void BceWithLogitsMatchesTheCpu(DType dtype, bool posWeight)
    {
        const int n = 300;
        var x = Uniform(n, 11, -8, 8);
        double[] edges = [0, -0.0, 40, -40, 800, -800, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e-20];
        edges.CopyTo(x, 0);
        var t = Uniform(n, 12, 0, 1);
        t[1] = 1;
        t[2] = 0;
        var pw = Uniform(n, 13, 0.2, 3);
        var g = Uniform(n, 14, -2, 2);
        foreach (var part in AllParts)
        {
            if (part == LossPart.GradPosWeight && !posWeight)
                continue;
            var cy = Output(Cpu, dtype, n);
            var gy = Output(Ilgpu, dtype, n);
            Cpu.BceWithLogits(part, Put(Cpu, Typed(dtype, x), n), Put(Cpu, Typed(dtype, t), n), posWeight ? Put(Cpu, Typed(dtype, pw), n) : null,
                part == LossPart.Value ? null : Put(Cpu, Typed(dtype, g), n), cy);
            Ilgpu.BceWithLogits(part, Put(Ilgpu, Typed(dtype, x), n), Put(Ilgpu, Typed(dtype, t), n), posWeight ? Put(Ilgpu, Typed(dtype, pw), n) : null,
                part == LossPart.Value ? null : Put(Ilgpu, Typed(dtype, g), n), gy);
            Same(Ilgpu, cy, gy, $"BCE with logits {part} {dtype} pw={posWeight}");
        }
    }

    [Theory]
    [InlineData(DType.Float32, 1.0)]
    [InlineData(DType.Float32, 0.3)]
    [InlineData(DType.Float64, 1.0)]
    [InlineData(DType.Float64, 2.5)]
    public void HuberMatchesTheCpu(DType dtype, double delta)
    {
        const int n = 200;
        var x = Uniform(n, 21, -4, 4);
        var t = Uniform(n, 22, -4, 4);
        x[0] = double.NaN;
        x[1] = t[1] + delta;       // on the boundary
        x[2] = t[2] - delta;
        var g = Uniform(n, 23, -2, 2);
        foreach (var part in new[] { LossPart.Value, LossPart.GradInput })
        {
            var cy = Output(Cpu, dtype, n);
            var gy = Output(Ilgpu, dtype, n);
            Cpu.HuberLoss(part, Put(Cpu, Typed(dtype, x), n), Put(Cpu, Typed(dtype, t), n), part == LossPart.Value ? null : Put(Cpu, Typed(dtype, g), n), delta, cy);
            Ilgpu.HuberLoss(part, Put(Ilgpu, Typed(dtype, x), n), Put(Ilgpu, Typed(dtype, t), n), part == LossPart.Value ? null : Put(Ilgpu, Typed(dtype, g), n), delta, gy);
            Same(Ilgpu, cy, gy, $"Huber {part} {dtype} δ={delta}");
        }
    }

    [Theory]
    [InlineData(DType.Float32, 1, TeamKind.Auto)]
    [InlineData(DType.Float32, 1000, TeamKind.Auto)]
    [InlineData(DType.Float64, 7, TeamKind.Auto)]
    [InlineData(DType.Float64, 3000, TeamKind.Auto)]
    [InlineData(DType.Float32, 3000, TeamKind.Group)]
    [InlineData(DType.Float64, 700, TeamKind.Group)]
    [InlineData(DType.Float64, 700, TeamKind.Warp)]
    public void MseLossAndItsGradientMatchTheCpu(DType dtype, int n, object teamValue)
    {
        var team = (TeamKind)teamValue;
        var gpu = team == TeamKind.Auto ? Ilgpu : Forced(team);
        var x = Uniform(n, n, -3, 3);
        var t = Uniform(n, n + 1, -3, 3);
        var cd = Output(Cpu, dtype, n);
        var gd = Output(gpu, dtype, n);
        var cl = Output(Cpu, dtype);
        var gl = Output(gpu, dtype);
        Cpu.MseLoss(Put(Cpu, Typed(dtype, x), n), Put(Cpu, Typed(dtype, t), n), cd, cl);
        gpu.MseLoss(Put(gpu, Typed(dtype, x), n), Put(gpu, Typed(dtype, t), n), gd, gl);
        Same(gpu, cd, gd, $"MSE diff {dtype}");
        Same(gpu, cl, gl, $"MSE loss {dtype}");

        var cg = Output(Cpu, dtype, n);
        var gg = Output(gpu, dtype, n);
        Cpu.MseLossBackward(cd, Put(Cpu, Typed(dtype, [0.75]), []), cg);
        gpu.MseLossBackward(gd, Put(gpu, Typed(dtype, [0.75]), []), gg);
        Same(gpu, cg, gg, $"MSE gradient {dtype}");
    }
}

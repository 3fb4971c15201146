using Dendrite.Backends;
using Dendrite.Gpu.Kernels.Reductions;
using Dendrite.NN;
using Dendrite.Optim;
using static Dendrite.Tests.Gpu.BackendPair;

namespace Dendrite.Tests.Gpu;

/// <summary>
/// The fused optimizer updates and clip_grad_norm_ of the GPU backend on ilgpu-cpu: the optimizers themselves run on
/// device parameters (gradients set directly, so no other GPU kernels are involved) and must follow the CPU
/// trajectory to float rounding; the norm passes are also checked on forced warp and group teams.
/// </summary>
[Trait("Category", "Gpu")]
public sealed class OptimBackendTests
{
    private static readonly int[][] Shapes = [[37], [5, 3], [0]];

    private static Optimizer Make(string variant, Tensor[] ps) => variant switch
    {
        "sgd" => new SGD(ps, lr: 0.1),
        "sgd-momentum" => new SGD(ps, lr: 0.05, momentum: 0.9),
        "sgd-dampening-decay" => new SGD(ps, lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 0.02),
        "sgd-nesterov" => new SGD(ps, lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        "adam" => new Adam(ps, lr: 0.02),
        "adam-l2-amsgrad" => new Adam(ps, lr: 0.02, weightDecay: 0.05, amsgrad: true),
        "adamw" => new AdamW(ps, lr: 0.02, weightDecay: 0.1),
        "adamw-amsgrad" => new AdamW(ps, lr: 0.02, betas: (0.8, 0.99), eps: 1e-6, amsgrad: true),
        "rmsprop" => new RMSprop(ps, lr: 0.01),
        "rmsprop-centered" => new RMSprop(ps, lr: 0.01, centered: true),
        "rmsprop-momentum-decay" => new RMSprop(ps, lr: 0.01, alpha: 0.9, momentum: 0.5, weightDecay: 0.01),
        "rmsprop-all" => new RMSprop(ps, lr: 0.01, momentum: 0.7, centered: true, weightDecay: 0.02),
        "adagrad" => new Adagrad(ps, lr: 0.1),
        "adadelta" => new Adadelta(ps),
        "adadelta-decay" => new Adadelta(ps, lr: 0.5, rho: 0.95, eps: 1e-5, weightDecay: 0.02),
        "adamax" => new Adamax(ps, lr: 0.02),
        "adamax-decay" => new Adamax(ps, lr: 0.02, betas: (0.8, 0.99), eps: 1e-6, weightDecay: 0.05),
        "nadam" => new NAdam(ps, lr: 0.02),
        "nadam-decay" => new NAdam(ps, lr: 0.02, betas: (0.85, 0.995), weightDecay: 0.05, momentumDecay: 0.01),
        _ => new Adagrad(ps, lr: 0.1, lrDecay: 0.05, weightDecay: 0.01, initialAccumulatorValue: 0.3),
    };

    public static TheoryData<string, DType> Variants()
    {
        var data = new TheoryData<string, DType>();
        foreach (var v in new[]
                 {
                     "sgd", "sgd-momentum", "sgd-dampening-decay", "sgd-nesterov", "adam", "adam-l2-amsgrad", "adamw", "adamw-amsgrad",
                     "rmsprop", "rmsprop-centered", "rmsprop-momentum-decay", "rmsprop-all", "adagrad", "adagrad-all",
                     "adadelta", "adadelta-decay", "adamax", "adamax-decay", "nadam", "nadam-decay",
                 })
        {
            data.Add(v, DType.Float64);
            data.Add(v, DType.Float32);
        }
        return data;
    }

    private static Tensor[] Parameters(DType dtype, Device device)
    {
        var g = new Generator(11);
        return Shapes.Select(s => Tensor.RandN(s, g, dtype).To(device)).ToArray();
    }

    // The same gradients for both devices, new ones every step.
    private static void SetGradients(Tensor[] ps, int step)
    {
        var g = new Generator((ulong)(100 + step));
        foreach (var p in ps)
            p.Grad = Tensor.RandN(p.ShapeArray, g, p.DType).To(p.Device);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void OptimizerTrajectoriesMatchTheCpu(string variant, DType dtype)
    {
        var cpu = Parameters(dtype, Device.Cpu);
        var dev = Parameters(dtype, Device.IlgpuCpu);
        var cpuOpt = Make(variant, cpu);
        var devOpt = Make(variant, dev);
        for (int step = 0; step < 5; step++)
        {
            SetGradients(cpu, step);
            SetGradients(dev, step);
            cpuOpt.Step();
            devOpt.Step();
            for (int i = 0; i < cpu.Length; i++)
            {
                Assert.Equal(Device.IlgpuCpu, dev[i].Device);
                // Same operations in the same order, each rounded once: bit-identical on ilgpu-cpu.
                Close(cpu[i].ToArray<double>(), dev[i].ToArray<double>(), 0, 0, $"{variant} {dtype} step {step} parameter {i}");
            }
        }
    }

    /// <summary>
    /// With the gradient at zero, decaying state reaches exactly zero on the device as on the CPU (no subnormals:
    /// both flush state below the smallest normal float), and the two trajectories stay bit-identical through it.
    /// </summary>
    [Theory]
    [InlineData("sgd-momentum")]
    [InlineData("adam")]
    [InlineData("rmsprop")]
    [InlineData("adadelta")]
    [InlineData("adamax")]
    [InlineData("nadam")]
    public void DecayingStateFlushesToZeroLikeTheCpu(string variant)
    {
        var cpu = new[] { Tensor.RandN([37], new Generator(5)) };
        var dev = new[] { cpu[0].To(Device.IlgpuCpu) };
        var cpuOpt = Make(variant, cpu);
        var devOpt = Make(variant, dev);
        cpu[0].Grad = Tensor.OnesLike(cpu[0]);
        dev[0].Grad = Tensor.OnesLike(dev[0]);
        cpuOpt.Step();
        devOpt.Step();
        cpu[0].Grad = Tensor.ZerosLike(cpu[0]);
        dev[0].Grad = Tensor.ZerosLike(dev[0]);
        for (int step = 0; step < 1000; step++)   // 0.9^k passes 1.2e-38 near k = 830
        {
            cpuOpt.Step();
            devOpt.Step();
        }
        Close(cpu[0].ToArray<double>(), dev[0].ToArray<double>(), 0, 0, $"{variant} parameter");
        var cpuState = cpuOpt.StateDict().Tensors;
        foreach (var (key, t) in devOpt.StateDict().Tensors)
        {
            double[] values = t.ToArray<double>();
            Close(cpuState[key].ToArray<double>(), values, 0, 0, $"{variant} state {key}");
            Assert.All(values, v => Assert.True(v == 0 || Math.Abs(v) >= 1.17549435E-38, $"{variant} state {key} holds the subnormal {v}"));
        }
    }

    private static Tensor[] WithGradients(Device device, bool nan)
    {
        var g = new Generator(21);
        var ps = new[] { Tensor.RandN([300], g, DType.Float32), Tensor.RandN([20, 7], g, DType.Float64), Tensor.RandN([0], g, DType.Float32) };
        var g0 = Tensor.RandN([300], g, DType.Float32);
        var g1 = Tensor.RandN([7, 20], g, DType.Float64);
        if (nan)
            g0[17].Fill(double.NaN);
        var g2 = Tensor.RandN([0], g, DType.Float32);
        ps = ps.Select(p => p.To(device)).ToArray();
        ps[0].Grad = g0.To(device);
        ps[1].Grad = g1.To(device).Transpose(0, 1);     // strided: clipped in a dense copy and written back
        ps[2].Grad = g2.To(device);
        return ps;
    }

    [Theory]
    [InlineData(2.0, 0.5, false)]
    [InlineData(2.0, 1e6, false)]
    [InlineData(1.0, 3.0, false)]
    [InlineData(double.PositiveInfinity, 0.5, false)]
    [InlineData(3.0, 0.5, false)]
    [InlineData(0.5, 10.0, false)]
    [InlineData(2.0, 0.5, true)]
    [InlineData(double.PositiveInfinity, 0.5, true)]
    public void ClipGradNormMatchesTheCpu(double normType, double maxNorm, bool nan)
    {
        var cpu = WithGradients(Device.Cpu, nan);
        var dev = WithGradients(Device.IlgpuCpu, nan);
        double expected = Utils.ClipGradNorm_(cpu, maxNorm, normType).Item();
        var total = Utils.ClipGradNorm_(dev, maxNorm, normType);
        Assert.Equal(Device.IlgpuCpu, total.Device);
        Close([expected], [total.Item()], 1e-13, 0, $"total {normType}-norm");
        for (int i = 0; i < cpu.Length; i++)
        {
            var (rel, abs) = Tolerance(cpu[i].DType);
            Close(cpu[i].Grad!.ToArray<double>(), dev[i].Grad!.ToArray<double>(), rel, abs, $"clipped gradient {i}");
        }
    }

    [Theory]
    [InlineData(TeamKind.Auto)]
    [InlineData(TeamKind.Warp)]
    [InlineData(TeamKind.Group)]
    public void NormPassesMatchTheCpuOnEveryTeam(object teamValue)
    {
        var team = (TeamKind)teamValue;
        var gpu = team == TeamKind.Auto ? Ilgpu : Forced(team);
        int[] sizes = [3000, 1, 0, 257];
        foreach (double p in new[] { 2.0, 1.0, double.PositiveInfinity, 2.5 })
        {
            var data = sizes.Select((n, i) => Uniform(n, i + 7, -2, 2)).ToArray();
            StorageView[] Views(IBackend b) => data.Select((d, i) => Put(b, Typed(i % 2 == 0 ? DType.Float32 : DType.Float64, d), d.Length)).ToArray();
            var (cx, gx) = (Views(Cpu), Views(gpu));
            var (ct, gt) = (Output(Cpu, DType.Float64), Output(gpu, DType.Float64));
            Cpu.TotalNorm(cx, p, ct);
            gpu.TotalNorm(gx, p, gt);
            Close(Get(Cpu, ct), Get(gpu, gt), 1e-13, 0, $"total {p}-norm on {team}");
            Cpu.ScaleToNorm(cx, ct, 1.5);
            gpu.ScaleToNorm(gx, gt, 1.5);
            for (int i = 0; i < cx.Length; i++)
                Same(gpu, cx[i], gx[i], $"scaled tensor {i} ({p}-norm)");
        }
        var (none, noneTotal) = (Array.Empty<StorageView>(), Output(gpu, DType.Float64));
        gpu.TotalNorm(none, 2, noneTotal);
        Assert.Equal([0.0], Get(gpu, noneTotal));
    }
}

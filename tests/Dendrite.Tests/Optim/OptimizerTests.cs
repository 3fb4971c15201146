using System.Text.Json.Nodes;
using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Tests.Optim;

public sealed class OptimizerTests
{
    private static Optimizer Make(string name, IEnumerable<Tensor> ps) => name switch
    {
        "sgd" => new SGD(ps, lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        "adagrad" => new Adagrad(ps, lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1),
        "rmsprop" => new RMSprop(ps, lr: 0.01, momentum: 0.5, centered: true, weightDecay: 0.01),
        "adam" => new Adam(ps, lr: 0.05, amsgrad: true, weightDecay: 0.01),
        "adadelta" => new Adadelta(ps, lr: 1.0, rho: 0.9, weightDecay: 0.01),
        "adamax" => new Adamax(ps, lr: 0.02, weightDecay: 0.01),
        "nadam" => new NAdam(ps, lr: 0.02, weightDecay: 0.01, momentumDecay: 0.01),
        _ => new AdamW(ps, lr: 0.05, amsgrad: true),
    };

    public static TheoryData<string> Names => ["sgd", "adagrad", "rmsprop", "adam", "adamw", "adadelta", "adamax", "nadam"];

    // grad = a·p + b, as in the reference trajectories.
    private static void Quadratic(Tensor p, Tensor a, Tensor b) => (a * p.Square() * 0.5 + b * p).Sum().Backward();

    /// <summary>
    /// Momentum and moments of a parameter whose gradient has gone to zero decay to exactly zero, never into the
    /// subnormal range (where every multiply is slow), on the vector lanes and the scalar tail alike.
    /// </summary>
    [Theory]
    [InlineData("sgd", DType.Float32)]
    [InlineData("sgd", DType.Float64)]
    [InlineData("adam", DType.Float32)]
    [InlineData("adamw", DType.Float64)]
    [InlineData("rmsprop", DType.Float32)]
    [InlineData("adadelta", DType.Float32)]
    [InlineData("adamax", DType.Float32)]
    [InlineData("nadam", DType.Float64)]
    public void StateDecaysToZeroNotToSubnormals(string name, DType dtype)
    {
        var p = Tensor.RandN([37], new Generator(3), dtype);
        p.RequiresGrad = true;
        var opt = Decaying(name, p);
        p.Grad = Tensor.OnesLike(p);
        opt.Step();
        p.Grad = Tensor.ZerosLike(p);
        // 0.9^k reaches the subnormals near k = 830 (float) and 6700 (double); Adam's second moment (0.999^k) much later.
        int steps = dtype == DType.Float32 ? 1200 : 8000;
        for (int k = 0; k < steps; k++)
            opt.Step();
        double minNormal = dtype == DType.Float32 ? 1.17549435E-38 : double.Epsilon * Math.Pow(2, 52);
        foreach (var (key, t) in opt.StateDict().Tensors)
            foreach (double v in t.To(DType.Float64).ToArray<double>())
                Assert.True(v == 0 || Math.Abs(v) >= minNormal, $"{name} state {key} holds the subnormal {v}");
        Assert.Contains(opt.StateDict().Tensors.Values, t => t.To(DType.Float64).ToArray<double>().Any(v => v == 0));
        Assert.All(p.Detach().To(DType.Float64).ToArray<double>(), v => Assert.True(double.IsFinite(v)));
    }

    /// <summary>A NaN gradient still reaches the state and the parameter: the flush touches only tiny finite values.</summary>
    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    [InlineData("rmsprop")]
    [InlineData("adadelta")]
    [InlineData("adamax")]
    [InlineData("nadam")]
    public void NaNGradientsAreNotFlushed(string name)
    {
        var p = Tensor.RandN([37], new Generator(4));
        p.RequiresGrad = true;
        var opt = Decaying(name, p);
        p.Grad = Tensor.OnesLike(p);
        opt.Step();
        p.Grad = Tensor.Full([37], float.NaN);
        opt.Step();
        Assert.All(p.Detach().ToArray<float>(), v => Assert.True(float.IsNaN(v)));
    }

    // Optimizers whose state decays when the gradient is zero (no weight decay, which would keep feeding it).
    private static Optimizer Decaying(string name, Tensor p) => name switch
    {
        "sgd" => new SGD([p], lr: 0.01, momentum: 0.9),
        "adam" => new Adam([p], lr: 0.01),
        "rmsprop" => new RMSprop([p], lr: 0.01, momentum: 0.9),
        "adadelta" => new Adadelta([p], lr: 1.0, rho: 0.9),
        "adamax" => new Adamax([p], lr: 0.01),
        "nadam" => new NAdam([p], lr: 0.01),
        _ => new AdamW([p], lr: 0.01, amsgrad: true),
    };

    /// <summary>A large parameter's update is split over the threads: every value must match the one-thread update.</summary>
    [Theory]
    [InlineData("sgd", DType.Float32)]
    [InlineData("sgd", DType.Float64)]
    [InlineData("adam", DType.Float32)]
    [InlineData("adamw", DType.Float64)]
    public void LargeParameterStepsAreTheSameOnOneAndTwoThreads(string name, DType dtype)
    {
        double[] Run(int threads)
        {
            using var scope = new Dendrite.Tests.Backends.ThreadCountScope(threads);
            var g = new Generator(9);
            var a = Tensor.Rand([70_001], g, dtype).Add(0.5);
            var b = Tensor.RandN([70_001], g, dtype);
            var p = Tensor.RandN([70_001], g, dtype);
            p.RequiresGrad = true;
            var opt = Make(name, [p]);
            for (int k = 0; k < 4; k++)
            {
                opt.ZeroGrad();
                Quadratic(p, a, b);
                opt.Step();
            }
            return p.Detach().To(DType.Float64).ToArray<double>();
        }
        double[] one = Run(1), two = Run(2);
        Assert.Equal(one, two);
        Assert.All(one, v => Assert.True(double.IsFinite(v)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Float32StepsTrackFloat64Steps(string name)
    {
        var g = new Generator(5);
        var a = Tensor.Rand([37], g, DType.Float64).Add(0.5);
        var b = Tensor.RandN([37], g, DType.Float64);
        var p64 = Tensor.RandN([37], g, DType.Float64);
        var p32 = p64.To(DType.Float32).Detach();
        p64.RequiresGrad = true;
        p32.RequiresGrad = true;
        var o64 = Make(name, [p64]);
        var o32 = Make(name, [p32]);
        for (int k = 0; k < 20; k++)
        {
            o64.ZeroGrad();
            o32.ZeroGrad();
            Quadratic(p64, a, b);
            Quadratic(p32, a.To(DType.Float32), b.To(DType.Float32));
            o64.Step();
            o32.Step();
        }
        var x = p64.ToArray<double>();
        var y = p32.ToArray<float>();
        for (int i = 0; i < x.Length; i++)
            Assert.Equal(x[i], y[i], 1e-4);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void StateDictResumesTrainingExactly(string name)
    {
        var g = new Generator(6);
        var a = Tensor.Rand([3, 4], g).Add(0.5);
        var b = Tensor.RandN([3, 4], g);
        var start = Tensor.RandN([3, 4], g);

        var p = start.Clone().Detach();
        p.RequiresGrad = true;
        var opt = Make(name, [p]);
        for (int k = 0; k < 5; k++) { opt.ZeroGrad(); Quadratic(p, a, b); opt.Step(); }
        var saved = opt.StateDict();
        var savedParam = p.Clone().Detach();
        // The JSON part survives a text round trip, as a checkpoint would store it.
        var meta = JsonNode.Parse(saved.Meta.ToJsonString())!.AsObject();
        for (int k = 0; k < 5; k++) { opt.ZeroGrad(); Quadratic(p, a, b); opt.Step(); }

        var q = savedParam.Clone().Detach();
        q.RequiresGrad = true;
        var resumed = Make(name, [q]);
        resumed.LoadStateDict(new OptimizerStateDict(meta, saved.Tensors));
        for (int k = 0; k < 5; k++) { resumed.ZeroGrad(); Quadratic(q, a, b); resumed.Step(); }
        Assert.Equal(p.ToArray<float>(), q.ToArray<float>());
    }

    /// <summary>Plain momentum SGD on float32 (the vectorised path, with a tail past the last whole vector) gives
    /// exactly b = μb + g, p = p − lr·b, computed element by element with the same roundings.</summary>
    [Theory]
    [InlineData(100)]
    [InlineData(37)]
    [InlineData(7)]
    public void MomentumStepMatchesTheFormulaExactly(int n)
    {
        var gen = new Generator(3);
        var p = Tensor.RandN([n], gen);
        p.RequiresGrad = true;
        float[] pv = p.ToArray<float>(), bv = new float[n];
        var opt = new SGD([p], lr: 0.05, momentum: 0.9);
        float negLr = -0.05f, mu = 0.9f;
        for (int step = 0; step < 3; step++)
        {
            var gr = Tensor.RandN([n], gen);
            opt.ZeroGrad();
            (p * gr).Sum().Backward();
            float[] gv = gr.ToArray<float>();
            for (int i = 0; i < n; i++)
            {
                bv[i] = step == 0 ? gv[i] : bv[i] * mu + gv[i];
                pv[i] += negLr * bv[i];
            }
            opt.Step();
            Assert.Equal(pv, p.ToArray<float>());
        }
    }

    [Fact]
    public void NAdamSavesItsMomentumProductBesideTheStep()
    {
        var p = Tensor.Ones([3], DType.Float64, requiresGrad: true);
        var opt = new NAdam([p], momentumDecay: 0.01);
        for (int k = 0; k < 2; k++)
        {
            p.Grad = Tensor.Ones([3], DType.Float64);
            opt.Step();
        }
        var state = opt.StateDict();
        // Π μ_t for t = 1, 2 with μ_t = 0.9·(1 − ½·0.96^(0.01t)), as float32 products.
        float mu1 = (float)(0.9 * (1 - 0.5 * Math.Pow(0.96, 0.01))), mu2 = (float)(0.9 * (1 - 0.5 * Math.Pow(0.96, 0.02)));
        Assert.Equal((double)(mu1 * mu2), state.Meta["state"]!["0"]!["mu_product"]!.GetValue<double>());
        Assert.Equal(0.01, state.Meta["param_groups"]![0]!["momentum_decay"]!.GetValue<double>());
        Assert.True(state.Tensors.ContainsKey("state.0.exp_avg_sq"));
        var broken = JsonNode.Parse(state.Meta.ToJsonString())!.AsObject();
        broken["state"]!["0"]!.AsObject().Remove("mu_product");
        var e = Assert.Throws<ArgumentException>(() => new NAdam([p]).LoadStateDict(new OptimizerStateDict(broken, state.Tensors)));
        Assert.Contains("mu_product", e.Message);
        Assert.Equal(0.9, new Adadelta([p]).ParamGroups[0].Rho);
        Assert.Contains("rho", Assert.Throws<ArgumentException>(() => new Adadelta([p], rho: 1.5)).Message);
    }

    [Fact]
    public void StateDictUsesPyTorchNames()
    {
        var p = Tensor.Zeros([2], DType.Float32, requiresGrad: true);
        var opt = new Adam([p], lr: 0.1, betas: (0.8, 0.9));
        p.Grad = Tensor.Ones(2);
        opt.Step();
        var sd = opt.StateDict();
        Assert.Equal(["state.0.exp_avg", "state.0.exp_avg_sq"], sd.Tensors.Keys.Order());
        var group = sd.Meta["param_groups"]![0]!;
        Assert.Equal(0.1, group["lr"]!.GetValue<double>());
        Assert.Equal(0.8, group["betas"]![0]!.GetValue<double>());
        Assert.Equal(1, sd.Meta["state"]!["0"]!["step"]!.GetValue<long>());
        Assert.Throws<ArgumentException>(() => new Adam([Tensor.Zeros([2], DType.Float32, requiresGrad: true)]).LoadStateDict(
            new OptimizerStateDict(new JsonObject { ["param_groups"] = new JsonArray(), ["state"] = new JsonObject() }, new Dictionary<string, Tensor>())));
    }

    [Fact]
    public void LoadStateDictWithABadValueChangesNothingAndNamesTheKey()
    {
        var w = Tensor.Ones([2], DType.Float64, requiresGrad: true);
        var bias = Tensor.Ones([2], DType.Float64, requiresGrad: true);
        var saved = new Adam([new ParamGroup([w], lr: 0.01), new ParamGroup([bias], lr: 0.02)], lr: 0.01).StateDict();
        var meta = JsonNode.Parse(saved.Meta.ToJsonString())!.AsObject();
        meta["param_groups"]![1]!["eps"] = "tiny";
        var opt = new Adam([new ParamGroup([w], lr: 0.3), new ParamGroup([bias], lr: 0.4)], lr: 0.3);
        var e = Assert.Throws<ArgumentException>(() => opt.LoadStateDict(new OptimizerStateDict(meta, saved.Tensors)));
        Assert.Contains("parameter group 1", e.Message);
        Assert.Contains("'eps' must be a number, got \"tiny\"", e.Message);
        // Group 0 came first and was valid, but nothing was applied.
        Assert.Equal(0.3, opt.ParamGroups[0].Lr);
        Assert.Equal(0.4, opt.ParamGroups[1].Lr);

        meta["param_groups"]![1]!["eps"] = 1e-8;
        meta["param_groups"]![0]!["betas"] = new JsonArray(0.9);
        Assert.Contains("'betas' must be a list of two numbers", Assert.Throws<ArgumentException>(() => opt.LoadStateDict(new OptimizerStateDict(meta, saved.Tensors))).Message);
        meta["param_groups"]![0]!["betas"] = new JsonArray(0.8, 0.95);
        opt.LoadStateDict(new OptimizerStateDict(meta, saved.Tensors));
        Assert.Equal(0.01, opt.ParamGroups[0].Lr);
        Assert.Equal(0.02, opt.ParamGroups[1].Lr);
        Assert.Equal((0.8, 0.95), opt.ParamGroups[0].Betas);
    }

    [Fact]
    public void ParamGroupsHaveTheirOwnHyperParameters()
    {
        var w = Tensor.Ones([2], DType.Float64, requiresGrad: true);
        var bias = Tensor.Ones([2], DType.Float64, requiresGrad: true);
        var opt = new SGD([new ParamGroup([w]), new ParamGroup([bias], lr: 0.5, weightDecay: 0)], lr: 0.1, weightDecay: 1.0);
        Assert.Equal(1.0, opt.ParamGroups[0].WeightDecay);
        Assert.Equal(0.0, opt.ParamGroups[1].WeightDecay);
        Assert.Equal(0.1, opt.Lr);
        w.Grad = Tensor.Zeros([2], DType.Float64);
        bias.Grad = Tensor.Full([2], 1.0, DType.Float64);
        opt.Step();
        Assert.Equal([0.9, 0.9], w.ToArray<double>());      // decay only: 1 − 0.1·(0 + 1·1)
        Assert.Equal([0.5, 0.5], bias.ToArray<double>());   // 1 − 0.5·1
        Assert.Throws<InvalidOperationException>(() => opt.ParamGroups[0].Betas);
        opt.Lr = 0.01;
        Assert.All(opt.ParamGroups, g => Assert.Equal(0.01, g.Lr));
    }

    [Fact]
    public void ParametersWithoutGradientsAreSkippedAndZeroGradClears()
    {
        var a = Tensor.Ones([3], DType.Float32, requiresGrad: true);
        var b = Tensor.Ones([3], DType.Float32, requiresGrad: true);
        var opt = new Adam([a, b], lr: 0.1);
        (a * 2).Sum().Backward();
        opt.Step();
        Assert.All(b.ToArray<float>(), v => Assert.Equal(1f, v));
        Assert.All(a.ToArray<float>(), v => Assert.True(v < 1));
        opt.ZeroGrad();
        Assert.All(a.Grad!.ToArray<float>(), v => Assert.Equal(0f, v));
        opt.ZeroGrad(setToNone: true);
        Assert.Null(a.Grad);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        var p = Tensor.Ones([3], DType.Float32, requiresGrad: true);
        Assert.Throws<ArgumentException>(() => new SGD(Array.Empty<Tensor>(), lr: 0.1));
        Assert.Throws<ArgumentException>(() => new SGD([p], lr: -1));
        Assert.Throws<ArgumentException>(() => new SGD([p], lr: 0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => new SGD([p, p], lr: 0.1));
        Assert.Throws<ArgumentException>(() => new Adam([p], betas: (1.0, 0.999)));
        Assert.Throws<ArgumentException>(() => new Adam([p.Mul(2)]));
        var opt = new SGD([p], lr: 0.1);
        p.Grad = Tensor.Ones(4);
        var ex = Assert.Throws<InvalidOperationException>(opt.Step);
        Assert.Contains("[4]", ex.Message);
    }

    [Fact]
    public void ClipGradNormScalesToTheMaximum()
    {
        var a = Tensor.Zeros([2], DType.Float64, requiresGrad: true);
        var b = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        a.Grad = Tensor.FromArray(new[] { 3.0, 0.0 });
        b.Grad = Tensor.FromArray(new[] { 4.0 });
        double total = Utils.ClipGradNorm_([a, b], maxNorm: 1.0).Item();
        Assert.Equal(5.0, total, 12);
        Assert.Equal(3.0 / (5 + 1e-6), a.Grad.ToArray<double>()[0], 12);
        Assert.Equal(4.0 / (5 + 1e-6), b.Grad.ToArray<double>()[0], 12);
        // Below the maximum nothing changes; the infinity norm is the largest magnitude.
        Assert.Equal(4.0 / (5 + 1e-6), Utils.ClipGradNorm_([a, b], maxNorm: 10, normType: double.PositiveInfinity).Item(), 12);
        Assert.Equal(4.0 / (5 + 1e-6), b.Grad.ToArray<double>()[0], 12);
        a.Grad = Tensor.FromArray(new[] { -3.0, 0.5 });
        Utils.ClipGradValue_([a], 1.0);
        Assert.Equal([-1.0, 0.5], a.Grad.ToArray<double>());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void StepsDoNotAllocate(string name)
    {
        var ps = new[] { Tensor.RandN([64, 33], new Generator(7)), Tensor.RandN([33], new Generator(8)) };
        foreach (var p in ps)
        {
            p.RequiresGrad = true;
            p.Grad = Tensor.RandLike(p, new Generator(9));
        }
        var opt = Make(name, ps);
        for (int k = 0; k < 3; k++)
            opt.Step(); // creates the state
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10; k++)
            opt.Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

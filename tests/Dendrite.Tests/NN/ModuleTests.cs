using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Tests.NN;

public sealed class ModuleTests
{
    private sealed class MlpL2 : Module
    {
        private readonly Linear fc1 = new(2, 5), fc2 = new(5, 1);

        public override Tensor Forward(Tensor x) => fc2.Forward(fc1.Forward(x).Sigmoid()).Sigmoid();
    }

    private sealed class Net : Module
    {
        public Sequential Features { get; } = new(new Linear(2, 5), new Sigmoid());
        public Linear Head { get; } = new(5, 1);

        public override Tensor Forward(Tensor x) => Head.Call(Features.Call(x));
    }

    private sealed class WithExtras : Module
    {
        private readonly Linear _shared;
        private readonly Linear[] _blocks = [new(3, 3), new(3, 3)];
        private readonly Tensor _scale = Parameter(Tensor.Ones(3));
        private readonly Tensor _notAParameter = Tensor.Ones(3);

        public WithExtras()
        {
            _shared = RegisterModule("encoder", new Linear(3, 3));
            RegisterBuffer("mask", _notAParameter);
        }

        public override Tensor Forward(Tensor x) => _blocks[1].Call(_blocks[0].Call(_shared.Call(x))) * _scale;
    }

    [Fact]
    public void ReflectionDiscoversFieldsInDeclarationOrder()
    {
        var m = new MlpL2();
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], m.NamedParameters().Select(p => p.Name));
        Assert.Equal([5, 2], m.NamedParameters().First().Tensor.Shape);
        Assert.Equal(5 * 2 + 5 + 5 + 1, m.ParameterCount);
        Assert.All(m.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.Equal(["fc1", "fc2"], m.NamedChildren().Select(c => c.Name));
    }

    [Fact]
    public void AutoPropertiesAreNamedWithoutBackingFieldDecoration()
    {
        var m = new Net();
        Assert.Equal(["Features.0.weight", "Features.0.bias", "Head.weight", "Head.bias"], m.NamedParameters().Select(p => p.Name));
        Assert.Equal(["", "Features", "Features.0", "Features.1", "Head"], m.NamedModules().Select(x => x.Name));
    }

    [Fact]
    public void ExplicitRegistrationWinsAndArraysAndParametersAreDiscovered()
    {
        var m = new WithExtras();
        // As in PyTorch, a module's own parameters come before its children's.
        Assert.Equal(["_scale", "encoder.weight", "encoder.bias", "_blocks.0.weight", "_blocks.0.bias", "_blocks.1.weight", "_blocks.1.bias"],
            m.NamedParameters().Select(p => p.Name));
        Assert.Equal(["mask"], m.NamedBuffers().Select(b => b.Name));
        Assert.Contains("mask", m.StateDict().Keys);
    }

    [Fact]
    public void SequentialNamesLayersByPosition()
    {
        var m = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], m.NamedParameters().Select(p => p.Name));
        Assert.IsType<ReLU>(m[1]);
        Assert.IsType<Linear>(m[-1]);
        var named = new Sequential(("enc", new Linear(4, 3)), ("act", new Tanh()));
        named.Add(new Linear(3, 1));
        Assert.Equal(["enc.weight", "enc.bias", "2.weight", "2.bias"], named.NamedParameters().Select(p => p.Name));
        Assert.IsType<Tanh>(named["act"]);
        Assert.Equal([5, 1], named.Forward(Tensor.Zeros(5, 4)).Shape);
    }

    [Fact]
    public void ModuleListRegistersItsItems()
    {
        var list = new ModuleList(new ReLU(), new Linear(1, 2));
        Assert.Equal(["1.weight", "1.bias"], list.NamedParameters().Select(p => p.Name));
        Assert.Equal("ModuleList(\n  (0): ReLU()\n  (1): Linear(in_features=1, out_features=2, bias=True)\n)", list.ToString());
        Assert.Throws<NotSupportedException>(() => list.Forward(Tensor.Zeros(1)));
    }

    [Fact]
    public void ToStringPrintsTheTreeLikePyTorch()
    {
        var m = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        Assert.Equal("Sequential(\n  (0): Linear(in_features=784, out_features=256, bias=True)\n  (1): ReLU()\n  (2): Linear(in_features=256, out_features=10, bias=True)\n)", m.ToString());
        Assert.Equal("Net(\n  (Features): Sequential(\n    (0): Linear(in_features=2, out_features=5, bias=True)\n    (1): Sigmoid()\n  )\n  (Head): Linear(in_features=5, out_features=1, bias=True)\n)", new Net().ToString());
        Assert.Equal("CrossEntropyLoss()", new CrossEntropyLoss().ToString());
    }

    [Fact]
    public void EveryLayerPrintsItsSettingsLikePyTorch()
    {
        var m = new Sequential(new Conv2d(1, 6, 5, padding: 2), new BatchNorm2d(6), new ReLU(), new MaxPool2d(2),
            new Conv2d(6, 16, (3, 5), stride: (2, 2), bias: false, groups: 2), new AvgPool2d(2, stride: 1), new AdaptiveAvgPool2d(1),
            new Flatten(), new Dropout(0.25), new Linear(16, 10), new LayerNorm(10), new LeakyReLU(0.2), new ELU(), new GELU(),
            new Tanh(), new Sigmoid(), new Softplus(), new BatchNorm1d(10, momentum: null), new Identity(), new Softmax(dim: 1), new LogSoftmax(dim: -1));
        // The expected text is PyTorch 1.13's repr of the same model.
        const string expected = "Sequential(\n  (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))\n  (1): BatchNorm2d(6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n  (2): ReLU()\n  (3): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n  (4): Conv2d(6, 16, kernel_size=(3, 5), stride=(2, 2), groups=2, bias=False)\n  (5): AvgPool2d(kernel_size=2, stride=1, padding=0)\n  (6): AdaptiveAvgPool2d(output_size=1)\n  (7): Flatten(start_dim=1, end_dim=-1)\n  (8): Dropout(p=0.25, inplace=False)\n  (9): Linear(in_features=16, out_features=10, bias=True)\n  (10): LayerNorm((10,), eps=1e-05, elementwise_affine=True)\n  (11): LeakyReLU(negative_slope=0.2)\n  (12): ELU(alpha=1.0)\n  (13): GELU(approximate='none')\n  (14): Tanh()\n  (15): Sigmoid()\n  (16): Softplus(beta=1, threshold=20)\n  (17): BatchNorm1d(10, eps=1e-05, momentum=None, affine=True, track_running_stats=True)\n  (18): Identity()\n  (19): Softmax(dim=1)\n  (20): LogSoftmax(dim=-1)\n)";
        Assert.Equal(expected, m.ToString());
    }

    [Fact]
    public void TrainAndEvalAreRecursive()
    {
        var m = new Net();
        Assert.All(m.Modules(), x => Assert.True(x.IsTraining));
        m.Eval();
        Assert.All(m.Modules(), x => Assert.False(x.IsTraining));
        m.Train();
        Assert.All(m.Modules(), x => Assert.True(x.IsTraining));
        int count = 0;
        m.Apply(_ => count++);
        Assert.Equal(5, count);
    }

    [Fact]
    public void ZeroGradFillsWithZerosOrDrops()
    {
        var m = new MlpL2();
        m.Forward(Tensor.Ones(3, 2)).Sum().Backward();
        Assert.All(m.Parameters(), p => Assert.Contains(p.Grad!.ToArray<float>(), v => v != 0));
        m.ZeroGrad();
        Assert.All(m.Parameters(), p => Assert.All(p.Grad!.ToArray<float>(), v => Assert.Equal(0f, v)));
        m.ZeroGrad(setToNone: true);
        Assert.All(m.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void StateDictRoundTripGivesIdenticalOutputs()
    {
        var a = new Sequential(new Linear(3, 4, generator: new Generator(1)), new BatchNorm1d(4), new ReLU(), new Linear(4, 2, generator: new Generator(1)));
        var b = new Sequential(new Linear(3, 4, generator: new Generator(2)), new BatchNorm1d(4), new ReLU(), new Linear(4, 2, generator: new Generator(2)));
        var x = Tensor.RandN([6, 3], new Generator(3));
        a.Forward(x); // updates a's running statistics
        a.Eval();
        b.Eval();
        var sd = a.StateDict();
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "3.weight", "3.bias"], sd.Keys);
        Assert.NotEqual(a.Forward(x).ToArray<float>(), b.Forward(x).ToArray<float>());
        var result = b.LoadStateDict(sd);
        Assert.Empty(result.MissingKeys);
        Assert.Equal(a.Forward(x).ToArray<float>(), b.Forward(x).ToArray<float>());
        Assert.Equal(1L, ((BatchNorm1d)b[1]).NumBatchesTracked!.Item<long>());
    }

    [Fact]
    public void LoadStateDictNamesTheFirstTwentyKeysOfEachKindAndCountsTheRest()
    {
        var m = new MlpL2();
        var sd = new Dictionary<string, Tensor>(m.StateDict());
        for (int i = 0; i < 1000; i++)
            sd[$"encoder.layers.{i}.weight"] = Tensor.Zeros(1);
        var ex = Assert.Throws<StateDictMismatchException>(() => m.LoadStateDict(sd));
        Assert.Equal(1000, ex.UnexpectedKeys.Count);
        Assert.Contains("\"encoder.layers.19.weight\" and 980 more", ex.Message);
        Assert.DoesNotContain("encoder.layers.20.weight", ex.Message);
        Assert.True(ex.Message.Length < 1500, $"{ex.Message.Length} characters");
    }

    [Fact]
    public void LoadStateDictListsEveryMissingUnexpectedAndMisShapedKey()
    {
        var m = new MlpL2();
        var before = m.Parameters().Select(p => p.ToArray<float>()).ToList();
        var sd = new Dictionary<string, Tensor>
        {
            ["fc1.weight"] = Tensor.Zeros(4, 2),   // wrong shape
            ["fc1.bias"] = Tensor.Zeros(5),
            ["fc3.weight"] = Tensor.Zeros(1),     // unexpected
            ["extra"] = Tensor.Zeros(1),          // unexpected
        };                                        // fc2.weight, fc2.bias missing
        var ex = Assert.Throws<StateDictMismatchException>(() => m.LoadStateDict(sd));
        Assert.Equal(["fc2.weight", "fc2.bias"], ex.MissingKeys);
        Assert.Equal(["fc3.weight", "extra"], ex.UnexpectedKeys);
        Assert.Single(ex.ShapeMismatches);
        Assert.Contains("fc1.weight: expected [5, 2], got [4, 2]", ex.Message);
        Assert.Contains("\"fc2.bias\"", ex.Message);
        Assert.Contains("\"extra\"", ex.Message);
        // Nothing was changed.
        Assert.Equal(before, m.Parameters().Select(p => p.ToArray<float>()).ToList());

        // Non-strict loading reports but tolerates key differences (not shape differences).
        sd["fc1.weight"] = Tensor.Full([5, 2], 2.0);
        var r = m.LoadStateDict(sd, strict: false);
        Assert.Equal(["fc2.weight", "fc2.bias"], r.MissingKeys);
        Assert.Equal(["fc3.weight", "extra"], r.UnexpectedKeys);
        Assert.All(m.Parameters().First().ToArray<float>(), v => Assert.Equal(2f, v));
    }

    [Fact]
    public void ZeroInitializedNetworkKeepsHiddenUnitsIdentical()
    {
        // NNDL's lesson: with all-zero parameters every hidden unit gets the same gradient, so symmetry never breaks.
        var m = new MlpL2();
        foreach (var p in m.Parameters())
            Init.Zeros_(p);
        var g = new Generator(7);
        var x = Tensor.RandN([16, 2], g);
        var y = Tensor.Rand([16, 1], g).Mul(2).Clamp(0, 1.999).ToArray<float>().Select(v => MathF.Floor(v)).ToArray();
        var target = Tensor.FromArray(y, 16, 1);
        var opt = new SGD(m.Parameters(), lr: 0.5);
        var bce = new BCELoss();
        double firstLoss = double.NaN;
        for (int step = 0; step < 5; step++)
        {
            opt.ZeroGrad();
            var loss = bce.Call(m.Call(x), target);
            if (step == 0)
                firstLoss = loss.Item();
            loss.Backward();
            opt.Step();
        }
        Assert.Equal(Math.Log(2), firstLoss, 6);
        var w1 = m.NamedParameters().Single(p => p.Name == "fc1.weight").Tensor.ToArray<float>();
        var b1 = m.NamedParameters().Single(p => p.Name == "fc1.bias").Tensor.ToArray<float>();
        var w2 = m.NamedParameters().Single(p => p.Name == "fc2.weight").Tensor.ToArray<float>();
        for (int r = 1; r < 5; r++)
        {
            Assert.Equal(w1[0], w1[2 * r]);
            Assert.Equal(w1[1], w1[2 * r + 1]);
            Assert.Equal(b1[0], b1[r]);
            Assert.Equal(w2[0], w2[r]);
        }
        Assert.NotEqual(0f, w2[0]); // it did train
    }
}

using Dendrite.NN;

namespace Dendrite.Tests.NN;

public sealed class LayerTests
{
    // Runs f once through the module and once through the functional op on copies of the same parameters and input,
    // then compares the outputs and all gradients.
    private static void AssertSameAsFunctional(Module module, Tensor input, Func<Tensor, Tensor[], Tensor> functional)
    {
        module.ZeroGrad(setToNone: true);
        var x1 = input.Detach().Clone();
        x1.RequiresGrad = true;
        var y1 = module.Forward(x1);
        var weights = y1.Mul(Tensor.RandLike(y1, new Generator(99)));
        weights.Sum().Backward();

        var copies = module.Parameters().Select(p => { var c = p.Detach().Clone(); c.RequiresGrad = true; return c; }).ToArray();
        var x2 = input.Detach().Clone();
        x2.RequiresGrad = true;
        var y2 = functional(x2, copies);
        y2.Mul(Tensor.RandLike(y2, new Generator(99))).Sum().Backward();

        Assert.Equal(y2.ToArray<double>(), y1.ToArray<double>());
        Assert.Equal(x2.Grad!.ToArray<double>(), x1.Grad!.ToArray<double>());
        foreach (var (p, c) in module.Parameters().Zip(copies))
            Assert.Equal(c.Grad!.ToArray<double>(), p.Grad!.ToArray<double>());
    }

    [Fact]
    public void LinearMatchesFunctional()
    {
        var layer = new Linear(5, 3, dtype: DType.Float64, generator: new Generator(1));
        Assert.Equal([3, 5], layer.Weight.Shape);
        AssertSameAsFunctional(layer, Tensor.RandN([4, 5], new Generator(2), DType.Float64), (x, p) => F.Linear(x, p[0], p[1]));
        var noBias = new Linear(5, 3, bias: false);
        Assert.Null(noBias.Bias);
        Assert.Single(noBias.Parameters());
    }

    [Fact]
    public void Conv2dMatchesFunctional()
    {
        var conv = new Conv2d(4, 6, 3, stride: 2, padding: 1, groups: 2, dtype: DType.Float64, generator: new Generator(3));
        Assert.Equal([6, 2, 3, 3], conv.Weight.Shape);
        double bound = 1 / Math.Sqrt(2 * 9);
        Assert.All(conv.Weight.ToArray<double>(), v => Assert.True(Math.Abs(v) <= bound));
        AssertSameAsFunctional(conv, Tensor.RandN([2, 4, 7, 7], new Generator(4), DType.Float64),
            (x, p) => F.Conv2d(x, p[0], p[1], stride: 2, padding: 1, groups: 2));
        Assert.Equal([2, 6, 4, 4], conv.Forward(Tensor.Zeros([2, 4, 7, 7], DType.Float64)).Shape);
    }

    [Fact]
    public void LayerNormMatchesFunctional()
    {
        var ln = new LayerNorm([3, 4], dtype: DType.Float64);
        Init.Normal_(ln.Weight!, 1, 0.1, new Generator(5));
        Init.Normal_(ln.Bias!, 0, 0.1, new Generator(6));
        AssertSameAsFunctional(ln, Tensor.RandN([2, 3, 4], new Generator(7), DType.Float64), (x, p) => F.LayerNorm(x, [3, 4], p[0], p[1]));
    }

    [Fact]
    public void BatchNorm2dMatchesFunctionalInTrainingAndEval()
    {
        var bn = new BatchNorm2d(3, dtype: DType.Float64);
        Init.Normal_(bn.Weight!, 1, 0.1, new Generator(8));
        var x = Tensor.RandN([4, 3, 2, 2], new Generator(9), DType.Float64);
        var rm = Tensor.Zeros([3], DType.Float64);
        var rv = Tensor.Ones([3], DType.Float64);
        AssertSameAsFunctional(bn, x, (xx, p) => F.BatchNorm(xx, rm, rv, p[0], p[1], training: true));
        Assert.Equal(rm.ToArray<double>(), bn.RunningMean!.ToArray<double>());
        bn.Eval();
        AssertSameAsFunctional(bn, x, (xx, p) => F.BatchNorm(xx, rm, rv, p[0], p[1], training: false));
    }

    [Fact]
    public void BatchNormTracksRunningStatisticsAndUsesThemInEval()
    {
        const double momentum = 0.2, eps = 1e-5;
        var bn = new BatchNorm2d(2, eps: eps, momentum: momentum, dtype: DType.Float64);
        var g = new Generator(10);
        var mean = new double[2];
        var var = new[] { 1.0, 1.0 };
        for (int step = 0; step < 4; step++)
        {
            var x = Tensor.RandN([3, 2, 2, 2], g, DType.Float64).Mul(1 + step).Add(step);
            var y = bn.Forward(x);
            var v = x.ToArray<double>();
            var yv = y.ToArray<double>();
            for (int c = 0; c < 2; c++)
            {
                var vals = Enumerable.Range(0, 3).SelectMany(n => Enumerable.Range(0, 4).Select(k => v[n * 8 + c * 4 + k])).ToArray();
                double m = vals.Average();
                double biased = vals.Sum(a => (a - m) * (a - m)) / vals.Length;
                mean[c] = (1 - momentum) * mean[c] + momentum * m;
                var[c] = (1 - momentum) * var[c] + momentum * biased * vals.Length / (vals.Length - 1);
                // Training output is normalized with the batch statistics.
                Assert.Equal((v[c * 4] - m) / Math.Sqrt(biased + eps), yv[c * 4], 10);
            }
        }
        Assert.Equal(4L, bn.NumBatchesTracked!.Item<long>());
        var rm = bn.RunningMean!.ToArray<double>();
        var rv = bn.RunningVar!.ToArray<double>();
        for (int c = 0; c < 2; c++)
        {
            Assert.Equal(mean[c], rm[c], 12);
            Assert.Equal(var[c], rv[c], 12);
        }

        bn.Eval();
        var xe = Tensor.RandN([2, 2, 2, 2], g, DType.Float64);
        var ye = bn.Forward(xe).ToArray<double>();
        var xv = xe.ToArray<double>();
        for (int i = 0; i < xv.Length; i++)
        {
            int c = (i / 4) % 2;
            Assert.Equal((xv[i] - mean[c]) / Math.Sqrt(var[c] + eps), ye[i], 10);
        }
        Assert.Equal(4L, bn.NumBatchesTracked.Item<long>()); // eval does not count
    }

    [Fact]
    public void BatchNormWithoutMomentumKeepsACumulativeAverage()
    {
        var bn = new BatchNorm1d(1, momentum: null, dtype: DType.Float64);
        bn.Forward(Tensor.FromArray(new[] { 1.0, 3.0 }, 2, 1));   // mean 2
        bn.Forward(Tensor.FromArray(new[] { 5.0, 7.0 }, 2, 1));   // mean 6
        Assert.Equal(4.0, bn.RunningMean!.Item(), 12);
        Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros([2, 3], DType.Float64)));
        Assert.Throws<ArgumentException>(() => new BatchNorm2d(1).Forward(Tensor.Zeros(2, 1)));
    }

    [Fact]
    public void DropoutKeepsTheMeanAndIsIdentityInEval()
    {
        var drop = new Dropout(0.3, new Generator(11));
        var x = Tensor.Ones(200_000);
        var y = drop.Forward(x).ToArray<float>();
        double zeros = y.Count(v => v == 0) / (double)y.Length;
        Assert.InRange(zeros, 0.29, 0.31);
        Assert.InRange(y.Average(v => (double)v), 0.98, 1.02);
        Assert.All(y, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.7) < 1e-6));
        drop.Eval();
        Assert.Equal(x.ToArray<float>(), drop.Forward(x).ToArray<float>());
    }

    [Fact]
    public void ActivationsAndShapeModulesApplyTheirOps()
    {
        var x = Tensor.FromArray(new[] { -2.0, -0.5, 0.0, 1.5 }, 2, 2);
        Assert.Equal(x.Relu().ToArray<double>(), new ReLU().Forward(x).ToArray<double>());
        Assert.Equal(x.LeakyRelu(0.2).ToArray<double>(), new LeakyReLU(0.2).Forward(x).ToArray<double>());
        Assert.Equal(x.Elu(0.5).ToArray<double>(), new ELU(0.5).Forward(x).ToArray<double>());
        Assert.Equal(x.Gelu().ToArray<double>(), new GELU().Forward(x).ToArray<double>());
        Assert.Equal(x.Sigmoid().ToArray<double>(), new Sigmoid().Forward(x).ToArray<double>());
        Assert.Equal(x.Tanh().ToArray<double>(), new Tanh().Forward(x).ToArray<double>());
        Assert.Equal(x.Softplus().ToArray<double>(), new Softplus().Forward(x).ToArray<double>());
        Assert.Equal(x.Softmax(1).ToArray<double>(), new Softmax(1).Forward(x).ToArray<double>());
        Assert.Equal(x.LogSoftmax(0).ToArray<double>(), new LogSoftmax(0).Forward(x).ToArray<double>());
        Assert.Same(x, new Identity().Forward(x));
        Assert.Equal([2, 12], new Flatten().Forward(Tensor.Zeros(2, 3, 4)).Shape);
        Assert.Equal([6, 4], new Flatten(0, 1).Forward(Tensor.Zeros(2, 3, 4)).Shape);
        var img = Tensor.RandN([1, 2, 6, 6], new Generator(12));
        Assert.Equal(F.MaxPool2d(img, 2).ToArray<float>(), new MaxPool2d(2).Forward(img).ToArray<float>());
        Assert.Equal(F.AvgPool2d(img, 3, 1, 1).ToArray<float>(), new AvgPool2d(3, 1, 1).Forward(img).ToArray<float>());
        Assert.Equal([1, 2, 1, 1], new AdaptiveAvgPool2d(1).Forward(img).Shape);
    }

    [Fact]
    public void LossModulesWrapTheFunctionalLosses()
    {
        var g = new Generator(13);
        var input = Tensor.RandN([4, 3], g);
        var target = Tensor.RandN([4, 3], g);
        var probs = input.Sigmoid();
        var bits = Tensor.Rand([4, 3], g).Mul(2).Clamp(0, 1.99).ToArray<float>().Select(MathF.Floor).ToArray();
        var binary = Tensor.FromArray(bits, 4, 3);
        var labels = Tensor.FromArray(new long[] { 0, 2, 1, 2 });
        Assert.Equal(F.MseLoss(input, target).Item(), new MSELoss().Call(input, target).Item());
        Assert.Equal(F.L1Loss(input, target, Reduction.Sum).Item(), new L1Loss(Reduction.Sum).Call(input, target).Item());
        Assert.Equal(F.HuberLoss(input, target, 0.5).Item(), new HuberLoss(delta: 0.5).Call(input, target).Item());
        Assert.Equal(F.BinaryCrossEntropy(probs, binary).Item(), new BCELoss().Call(probs, binary).Item());
        Assert.Equal(F.BinaryCrossEntropyWithLogits(input, binary).Item(), new BCEWithLogitsLoss().Call(input, binary).Item());
        var w = Tensor.FromArray(new float[] { 1, 2, 0.5f });
        Assert.Equal(F.CrossEntropy(input, labels, w, 0.1).Item(), new CrossEntropyLoss(weight: w, labelSmoothing: 0.1).Call(input, labels).Item());
        Assert.Equal(F.NllLoss(input.LogSoftmax(1), labels).Item(), new NLLLoss().Call(input.LogSoftmax(1), labels).Item());
        Assert.Equal([4], new CrossEntropyLoss(reduction: Reduction.None).Call(input, labels).Shape);
        Assert.Throws<NotSupportedException>(() => new MSELoss().Forward(input));
        // As in PyTorch, class weights are buffers of the loss module.
        Assert.Equal(["weight"], new CrossEntropyLoss(weight: w).StateDict().Keys);
        Assert.Empty(new CrossEntropyLoss().StateDict());
    }
}

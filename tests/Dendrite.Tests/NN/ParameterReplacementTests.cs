using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Tests.NN;

/// <summary>
/// Replacing a layer's weight the way PyTorch does (<c>layer.weight = nn.Parameter(t)</c>): settable Linear/Conv2d
/// weights, Module.SetParameter by dotted path, and GetParameter.
/// </summary>
public sealed class ParameterReplacementTests
{
    private sealed class TwoLayers : Module
    {
        public readonly Linear Fc1 = new(2, 3), Fc2 = new(3, 1);
        public Tensor Scale = Parameter(Tensor.Ones(1));

        public override Tensor Forward(Tensor x) => Fc2.Forward(Fc1.Forward(x).Sigmoid()) * Scale;
    }

    [Fact]
    public void SettingLinearWeightReplacesTheParameter()
    {
        var layer = new Linear(2, 2);
        var w = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2);
        layer.Weight = Module.Parameter(w);
        layer.Bias = Tensor.Zeros(2);
        Assert.Same(w, layer.Weight);
        Assert.True(layer.Weight.RequiresGrad);
        Assert.Same(layer.Weight, layer.Parameters().First());
        Assert.Same(layer.Weight, layer.GetParameter("weight"));
        var y = layer.Call(Tensor.FromArray(new float[] { 1, 1 }, 1, 2));
        Assert.Equal(new float[] { 3, 7 }, y.ToArray<float>());
        y.Sum().Backward();
        Assert.Equal(new float[] { 1, 1, 1, 1 }, w.Grad!.ToArray<float>());
        Assert.Equal(new float[] { 1, 2, 3, 4 }, layer.StateDict()["weight"].ToArray<float>());
        layer.Bias = null;                                             // layer.bias = None
        Assert.Null(layer.Bias);
        Assert.Single(layer.Parameters());
    }

    [Fact]
    public void SetParameterFollowsDottedPathsAndFields()
    {
        var model = new TwoLayers();
        var zeros = model.SetParameter("Fc1.weight", Tensor.Zeros(3, 2));
        Assert.Same(zeros, model.Fc1.Weight);
        var scale = model.SetParameter("Scale", Tensor.Full([1], 2.0));
        Assert.Same(scale, model.Scale);                               // the field is written back
        Assert.Same(scale, model.GetParameter("Scale"));
        var seq = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 1));
        var w = seq.SetParameter("2.weight", Tensor.Ones(1, 4));
        Assert.Same(w, ((Linear)seq[2]).Weight);
        Assert.Contains(w, seq.Parameters());
        // The optimizer created afterwards updates the new tensor: d/dw Σ(x·wᵀ + b) = 3 per weight for 3 rows of ones.
        var single = new Sequential(new Linear(2, 1));
        var v = single.SetParameter("0.weight", Tensor.Ones(1, 2));
        var opt = new SGD(single.Parameters(), lr: 0.5);
        single.Call(Tensor.Ones(3, 2)).Sum().Backward();
        opt.Step();
        Assert.Equal(new float[] { -0.5f, -0.5f }, v.ToArray<float>());
    }

    [Fact]
    public void BadReplacementsAreClearErrors()
    {
        var seq = new Sequential(new Linear(2, 4), new Conv2d(1, 2, 3));
        Assert.Contains("has shape [4, 2]", Assert.Throws<ArgumentException>(() => seq.SetParameter("0.weight", Tensor.Zeros(2, 4))).Message);
        Assert.Contains("parameters: weight, bias", Assert.Throws<ArgumentException>(() => seq.SetParameter("0.scale", Tensor.Zeros(1))).Message);
        Assert.Contains("child module '7'", Assert.Throws<ArgumentException>(() => seq.GetParameter("7.weight")).Message);
        Assert.Contains("floating-point", Assert.Throws<ArgumentException>(() => seq.SetParameter("0.bias", Tensor.FromArray(new long[] { 1, 2, 3, 4 }))).Message);
        var conv = (Conv2d)seq[1];
        Assert.Throws<ArgumentException>(() => conv.Weight = Tensor.Zeros(2, 1, 2, 2));
        conv.Weight = Tensor.Zeros(2, 1, 3, 3);
        Assert.Equal(0f, conv.Call(Tensor.Ones(1, 1, 3, 3)).Sub(conv.Bias!.Reshape(1, 2, 1, 1)).Abs().Sum().Item());
    }
}

using Dendrite.NN;

namespace Dendrite.Tests.Onnx;

public sealed class OnnxSmokeTests
{
    [Fact]
    public void Mlp()
    {
        var model = new Sequential(new Linear(784, 64, generator: new Generator(1)), new ReLU(), new Linear(64, 10, generator: new Generator(2)));
        var info = OnnxRoundTrip.Check(model, [2, 784]);
        Assert.Equal(["Gemm", "Relu", "Gemm"], info.Nodes);
    }
}

using Dendrite.Cli.Lab.Common;
using Dendrite.NN;
using Dendrite.Tests.Devices;

namespace Dendrite.Tests.Onnx;

/// <summary>Models on the GPU backend (ilgpu-cpu here, cuda on a GPU machine) export too: initializers are copied to the host.</summary>
[Trait("Category", "Gpu")]
public sealed class OnnxDeviceTests
{
    [Fact]
    public void LeNetOnTheGpuBackend()
    {
        var model = ModelFactory.Build("lenet", new ModelFactory.Options(), new Generator(5)).To(TestDevice.Gpu);
        var info = OnnxRoundTrip.Check(model, [2, 1, 28, 28], makeInput: (s, g) => Tensor.Rand(s, g), device: TestDevice.Gpu);
        Assert.Equal(["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Reshape", "Gemm", "Relu", "Gemm", "Relu", "Gemm"], info.Nodes);
        Assert.Equal(TestDevice.Gpu, model.Device);
    }

    [Fact]
    public void AMlpWithBatchNormOnTheGpuBackendTakesACpuSample()
    {
        var model = ModelFactory.Build("mlp:784-32-10", new ModelFactory.Options(BatchNorm: true), new Generator(5)).To(TestDevice.Gpu);
        // The sample is moved to the model's device for the trace.
        OnnxRoundTrip.Check(model, [2, 784], device: TestDevice.Gpu);
    }

    [Fact]
    public void ADeviceMoveInForwardIsTheIdentity()
    {
        var model = new FnModule(x => x.To(TestDevice.Gpu).Relu().Cpu() * 2);
        Assert.Contains("ToDevice", OnnxTraceProbe.Kinds(model, Tensor.RandN([2, 3], new Generator(1))));
        OnnxRoundTrip.Check(model, [2, 3]);
    }
}

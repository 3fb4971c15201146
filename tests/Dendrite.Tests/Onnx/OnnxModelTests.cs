using Dendrite.Cli.Lab.Common;
using Dendrite.NN;
using Dendrite.Onnx;
using Dendrite.Onnx.Proto;
using Dendrite.Tests.Data;
using Microsoft.ML.OnnxRuntime;
using OnnxExporter = Dendrite.Onnx.Onnx;

namespace Dendrite.Tests.Onnx;

/// <summary>
/// Every model the CLI and the lab build (softmax, MLPs with each activation, BatchNorm and Dropout, LeNet, the cnn
/// model) and models with LayerNorm, exported and run in ONNX Runtime on two batch sizes.
/// </summary>
public sealed class OnnxModelTests
{
    private static Module Build(string spec, ModelFactory.Options options, int inputs = 784, int classes = 10) =>
        ModelFactory.Build(spec, options, new Generator(5), inputs, classes);

    [Theory]
    [InlineData("softmax", "relu", false, 0.0)]
    [InlineData("mlp:784-256-10", "relu", false, 0.0)]
    [InlineData("mlp:784-64-32-10", "sigmoid", false, 0.0)]
    [InlineData("mlp:784-64-32-10", "tanh", false, 0.2)]
    [InlineData("mlp:784-64-32-10", "leaky-relu", true, 0.0)]
    [InlineData("mlp:784-64-32-10", "gelu", true, 0.5)]
    public void FashionMnistMlps(string spec, string activation, bool batchNorm, double dropout)
    {
        var model = Build(spec, new ModelFactory.Options(activation, dropout, batchNorm));
        TrainBatchStatistics(model, [32, 784]);
        var info = OnnxRoundTrip.Check(model, [2, 784], makeInput: (s, g) => Tensor.Rand(s, g));
        Assert.Equal(["batch", "784"], info.Input.Dims);
        Assert.Equal(["batch", "10"], info.Output.Dims);
        Assert.DoesNotContain("Dropout", info.Nodes);
        Assert.Equal(batchNorm ? spec.Count(ch => ch == '-') - 1 : 0, info.Nodes.Count(n => n == "BatchNormalization"));
    }

    [Fact]
    public void MoonsMlp()
    {
        var info = OnnxRoundTrip.Check(Build("mlp:2-16-16-2", new ModelFactory.Options(), inputs: 2, classes: 2), [4, 2], batches: [1, 200]);
        Assert.Equal(["Gemm", "Relu", "Gemm", "Relu", "Gemm"], info.Nodes);
    }

    [Fact]
    public void LeNetExportsTheFusedLayersAsConvReluMaxPool()
    {
        var model = Build("lenet", new ModelFactory.Options());
        var sample = Tensor.Rand([2, 1, 28, 28], new Generator(3));
        // Inside the Sequential, each Conv2d → ReLU → MaxPool2d(2) runs as one fused op; the graph has the three ONNX ops.
        Assert.Contains("Conv2dReluMaxPool", OnnxTraceProbe.Kinds(model, sample));
        var info = OnnxRoundTrip.Check(model, [2, 1, 28, 28], makeInput: (s, g) => Tensor.Rand(s, g));
        Assert.Equal(["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Reshape", "Gemm", "Relu", "Gemm", "Relu", "Gemm"], info.Nodes);
        Assert.Equal(["batch", "1", "28", "28"], info.Input.Dims);
        Assert.Equal(["batch", "10"], info.Output.Dims);
    }

    [Fact]
    public void LeNetWithTanhRunsTheLayersOneByOne()
    {
        var model = Build("lenet", new ModelFactory.Options("tanh"));
        Assert.DoesNotContain("Conv2dReluMaxPool", OnnxTraceProbe.Kinds(model, Tensor.Rand([2, 1, 28, 28], new Generator(3))));
        var info = OnnxRoundTrip.Check(model, [2, 1, 28, 28], makeInput: (s, g) => Tensor.Rand(s, g));
        Assert.Equal(2, info.Nodes.Count(n => n == "MaxPool"));
        Assert.Equal(4, info.Nodes.Count(n => n == "Tanh"));
    }

    [Fact]
    public void CnnWithDropout()
    {
        var info = OnnxRoundTrip.Check(Build("cnn", new ModelFactory.Options(Dropout: 0.5)), [2, 1, 28, 28], batches: [1, 5], makeInput: (s, g) => Tensor.Rand(s, g));
        Assert.Equal(["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Reshape", "Gemm", "Relu", "Gemm"], info.Nodes);
    }

    [Fact]
    public void LayerNormMlp()
    {
        var g = new Generator(8);
        var model = new Sequential(new Linear(20, 32, generator: g), OnnxOpCase.Randomized(new LayerNorm(32)), new GELU(), new Dropout(0.3, g),
            new Linear(32, 16, generator: g), new LayerNorm(16), new Tanh(), new Linear(16, 3, generator: g), new LogSoftmax(1));
        var info = OnnxRoundTrip.Check(model, [2, 20]);
        Assert.Equal(2, info.Nodes.Count(n => n == "LayerNormalization"));
    }

    [Fact]
    public void AModuleWithFieldsAndFunctionalCalls()
    {
        var model = new ReadmeLeNet();
        var info = OnnxRoundTrip.Check(model, [2, 1, 28, 28], opset: 18);
        Assert.Equal(["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Reshape", "Gemm", "Relu", "Gemm", "Relu", "Gemm"], info.Nodes);
    }

    [Fact]
    public void TheFileHoldsNamedFloat32InitializersAndASymbolicBatch()
    {
        var model = Build("mlp:784-32-10", new ModelFactory.Options(BatchNorm: true));
        TrainBatchStatistics(model, [16, 784]);
        using var dir = new TempDir();
        string path = dir.File("sub/mlp.onnx");
        var info = model.ExportOnnx(Tensor.Rand([1, 784], new Generator(1)), path);
        Assert.Equal(Path.GetFullPath(path), info.Path);
        Assert.Equal(new FileInfo(path).Length, info.Bytes);
        Assert.Equal("input: float [batch, 784]", info.Input.ToString());

        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal(8, proto.IrVersion);
        Assert.Equal("Dendrite", proto.ProducerName);
        Assert.Equal(17, Assert.Single(proto.OpsetImport).Version);
        var expected = model.NamedParameters().Concat(model.NamedBuffers().Where(b => b.Name.EndsWith("running_mean") || b.Name.EndsWith("running_var")));
        foreach (var (name, t) in expected)
        {
            var init = Assert.Single(proto.Graph.Initializer, i => i.Name == name);
            Assert.Equal((int)TensorProto.Types.DataType.Float, init.DataType);
            Assert.Equal(t.ShapeArray.Select(d => (long)d), init.Dims);
            Assert.Equal(t.ToArray<float>(), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(init.RawData.Span).ToArray());
        }
        Assert.DoesNotContain(proto.Graph.Initializer, i => i.Name.EndsWith("num_batches_tracked"));

        // ONNX Runtime reads the symbolic batch dimension back.
        using var session = new InferenceSession(path);
        var input = session.InputMetadata["input"];
        Assert.Equal([-1, 784], input.Dimensions);
        Assert.Equal("batch", input.SymbolicDimensions[0]);
        Assert.Equal([-1, 10], session.OutputMetadata["output"].Dimensions);
    }

    [Fact]
    public void AFixedBatchExportHasNoSymbolicDimension()
    {
        var model = Build("lenet", new ModelFactory.Options());
        var info = OnnxRoundTrip.Check(model, [3, 1, 28, 28], dynamicBatch: false);
        Assert.Equal(["3", "1", "28", "28"], info.Input.Dims);
        Assert.Equal(["3", "10"], info.Output.Dims);
    }

    [Fact]
    public void ExportLeavesTheTrainingFlagsAsTheyWere()
    {
        var model = Build("mlp:784-32-10", new ModelFactory.Options(Dropout: 0.5, BatchNorm: true));
        ((Sequential)model)[1].Eval();
        var before = model.Modules().Select(m => m.IsTraining).ToList();
        using var dir = new TempDir();
        OnnxExporter.Export(model, Tensor.Rand([2, 784], new Generator(1)), dir.File("m.onnx"));
        Assert.Equal(before, model.Modules().Select(m => m.IsTraining).ToList());
    }

    // A few training-mode passes, so that BatchNorm's running statistics are not its initial zeros and ones.
    private static void TrainBatchStatistics(Module model, int[] shape)
    {
        var g = new Generator(21);
        model.Train();
        using (Autograd.Autograd.NoGrad())
            for (int i = 0; i < 3; i++)
                model.Call(Tensor.Rand(shape, g));
    }

    // The README's LeNet: layers as fields, F calls in Forward.
    private sealed class ReadmeLeNet : Module
    {
        private readonly Conv2d conv1 = new(1, 6, 5, padding: 2, generator: new Generator(1)), conv2 = new(6, 16, 5, generator: new Generator(2));
        private readonly Linear fc1 = new(400, 120, generator: new Generator(3)), fc2 = new(120, 84, generator: new Generator(4)), fc3 = new(84, 10, generator: new Generator(5));

        public override Tensor Forward(Tensor x)
        {
            x = F.MaxPool2d(F.Relu(conv1.Call(x)), 2);
            x = F.MaxPool2d(F.Relu(conv2.Call(x)), 2).Flatten(1);
            return fc3.Call(F.Relu(fc2.Call(F.Relu(fc1.Call(x)))));
        }
    }
}

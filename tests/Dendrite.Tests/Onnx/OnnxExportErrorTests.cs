using Dendrite.NN;
using Dendrite.Onnx;
using Dendrite.Tests.Data;
using Dendrite.Tracing;
using OnnxExporter = Dendrite.Onnx.Onnx;

namespace Dendrite.Tests.Onnx;

/// <summary>What cannot be exported fails with the op and the module named, and writes no file.</summary>
public sealed class OnnxExportErrorTests
{
    private static OnnxExportException Fails(Module model, Tensor sample, bool dynamicBatch = true)
    {
        using var dir = new TempDir();
        string path = dir.File("model.onnx");
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model, sample, path, dynamicBatch: dynamicBatch));
        Assert.False(File.Exists(path));
        Assert.StartsWith("Onnx.Export: ", e.Message);
        return e;
    }

    private static Tensor X(params int[] shape) => Tensor.RandN(shape, new Generator(4));

    [Fact]
    public void AnOpWithoutTraceSupportIsNamedWithTheModuleThatUsedIt()
    {
        var target = Tensor.Zeros([2, 3]);
        var model = new Sequential(new Linear(4, 3, generator: new Generator(1)), new FnModule(x => F.MseLoss(x, target)), new ReLU());
        var e = Fails(model, X(2, 4));
        Assert.Equal("MseLoss", e.Op);
        Assert.Equal("2", e.ModulePath);
        Assert.Equal("Onnx.Export: MseLoss (MseLossBackward) cannot be exported: it computed input 0 of Relu in module '2' (ReLU) " +
                     "(a Float32 tensor of shape []), but it has no trace support, so the graph would not contain it.", e.Message);
    }

    [Fact]
    public void AnOpWithoutAnOnnxMappingIsNamedWithItsModule()
    {
        // An op that reports to the tracer under a kind the mapping table does not have.
        var sortLike = new FnModule(x =>
        {
            var y = x.Clone();
            if (OpTrace.IsActive)
                OpTrace.Record("Sort", y, x).With("dim", 1);
            return y;
        });
        var e = Fails(new Sequential(new Linear(4, 4, generator: new Generator(1)), sortLike), X(2, 4));
        Assert.Equal("Sort", e.Op);
        Assert.Equal("1", e.ModulePath);
        Assert.StartsWith("Onnx.Export: Sort in module '1' (FnModule): op 'Sort' has no ONNX mapping, so the model cannot be exported (ops that export: Abs, ", e.Message);
    }

    [Fact]
    public void DropoutInTrainingModeFails()
    {
        var e = Fails(new Sequential(new Linear(4, 4, generator: new Generator(1)), new FnModule(x => F.Dropout(x, 0.5, training: true))), X(2, 4));
        Assert.Equal("Dropout", e.Op);
        Assert.Contains("random mask", e.Message);
    }

    [Fact]
    public void BatchNormWithoutRunningStatisticsFails()
    {
        var e = Fails(new Sequential(new Linear(4, 4, generator: new Generator(1)), new BatchNorm1d(4, trackRunningStats: false)), X(3, 4));
        Assert.Equal(("BatchNorm", "1"), (e.Op, e.ModulePath));
        Assert.Contains("batch's own statistics", e.Message);
    }

    [Fact]
    public void AdaptivePoolingWithUnevenWindowsFails()
    {
        var e = Fails(new Sequential(new Conv2d(1, 2, 3, generator: new Generator(1)), new AdaptiveAvgPool2d(3)), X(2, 1, 9, 9));
        Assert.Equal(("AdaptiveAvgPool2d", "1"), (e.Op, e.ModulePath));
        Assert.Contains("pools a 7×7 plane to 3×3", e.Message);
    }

    [Fact]
    public void RandomNumbersDrawnInForwardFail()
    {
        var e = Fails(new FnModule(x => x + Tensor.RandN([4], new Generator(2))), X(2, 4));
        Assert.Equal(("Add", ""), (e.Op, e.ModulePath));
        Assert.Contains("input 1 (a Float32 tensor of shape [4]): it is not the model's input, one of its parameters or buffers", e.Message);
    }

    [Fact]
    public void AnUnregisteredTensorFailsWithAHint()
    {
        var shift = Tensor.Ones([4]);
        var e = Fails(new Sequential(new FnModule(x => x - shift)), X(2, 4));
        Assert.Equal(("Add", "0"), (e.Op, e.ModulePath));
        Assert.Contains("register it with RegisterBuffer", e.Message);
        // Registered, the same tensor is an initializer.
        OnnxRoundTrip.Check(new Sequential(new FnModule(x => x - shift, ("shift", shift))), [2, 4]);
    }

    [Fact]
    public void AConstantWrittenInPlaceAfterItWasReadFails()
    {
        var e = Fails(new FnModule(x =>
        {
            var c = Tensor.Zeros([4]);
            var y = x + c;
            c.Fill(1);
            return y;
        }), X(2, 4));
        Assert.Equal("Add", e.Op);
        Assert.Contains("was modified in place after this op read it", e.Message);
        // Filled before it is read, it is the constant the graph holds.
        OnnxRoundTrip.Check(new FnModule(x => { var c = Tensor.Empty([4]); c.Fill(2); return x * c; }), [2, 4]);
    }

    [Fact]
    public void ASizeThatFollowsTheBatchInAConstantNeedsAFixedBatch()
    {
        var model = new FnModule(x => x + Tensor.Ones([x.Size(0), 4]));
        var e = Fails(model, X(2, 4));
        Assert.Equal("Constant", e.Op);
        Assert.Contains("has shape [2, 4] for a batch of 2 but [3, 4] for a batch of 3", e.Message);
        Assert.Contains("export with dynamicBatch: false", e.Message);
        OnnxRoundTrip.Check(model, [2, 4], dynamicBatch: false);
    }

    [Fact]
    public void AnExpansionToTheBatchSizeNeedsAFixedBatch()
    {
        var w = Tensor.RandN([4], new Generator(3));
        var model = new FnModule(x => Tensor.Cat([x, w.Unsqueeze(0).Expand(x.Size(0), 4)], 1), ("w", w));
        var e = Fails(model, X(2, 4));
        Assert.Equal("Expand", e.Op);
        OnnxRoundTrip.Check(model, [2, 4], dynamicBatch: false);
    }

    [Fact]
    public void AComputationThatDependsOnTheInputsValuesFails()
    {
        // The second trace runs the rows in reverse order: the branch taken changes.
        var sample = Tensor.FromArray(new float[] { 1, 2, -1, -2 }, 2, 2);
        var branch = Fails(new FnModule(x => x[0, 0].Item() > 0 ? x.Relu() : x.Tanh()), sample);
        Assert.Contains("different ops for a batch of 2 and of 3", branch.Message);
        var constant = Fails(new FnModule(x => x * Tensor.Scalar(x[0, 0].Item())), sample);
        Assert.Equal("Constant", constant.Op);
        Assert.Contains("holds other values for another input", constant.Message);
    }

    [Fact]
    public void AParameterNamedLikeTheGraphsOutputFails()
    {
        var w = Tensor.RandN([4], new Generator(3));
        var e = Fails(new FnModule(x => x * w, ("output", w)), X(2, 4));
        Assert.Equal("Onnx.Export: the name 'output' is used twice in the graph: a parameter or buffer is named like the graph's input or output; rename it.", e.Message);
    }

    [Fact]
    public void BadArgumentsAreRefusedBeforeAnythingRuns()
    {
        var model = new Linear(3, 2);
        using var dir = new TempDir();
        var opset = Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExporter.Export(model, X(1, 3), dir.File("m.onnx"), opset: 13));
        Assert.Contains("Onnx.Export: opset 13 is not supported; use 17 to 21.", opset.Message);
        Assert.Contains("path is empty", Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, X(1, 3), "")).Message);
        Assert.Contains("the sample input is 0-d", Assert.Throws<ArgumentException>(() => OnnxExporter.Export(new ReLU(), Tensor.Scalar(1), dir.File("m.onnx"))).Message);
        Assert.Contains("holds no sample", Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, Tensor.Zeros([0, 3]), dir.File("m.onnx"))).Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
        // A model whose layer rejects the sample fails with the layer's own message.
        Assert.Contains("Linear: input of shape [1, 4] has 4 features", Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, X(1, 4), dir.File("m.onnx"))).Message);
    }
}

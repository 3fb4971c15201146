using Dendrite.NN;
using Dendrite.Tracing;

namespace Dendrite.Tests.Core;

/// <summary>The op trace: what ops, creation functions and modules report while a session is open, and that nothing is recorded otherwise.</summary>
public sealed class OpTraceTests
{
    [Fact]
    public void RecordsOpsWithTheirInputsOutputsAndAttributesInOrder()
    {
        var x = Tensor.RandN([2, 3], new Generator(1));
        var w = Tensor.RandN([4, 3], new Generator(2));
        Tensor h, y;
        using (var session = OpTraceSession.Start())
        {
            Assert.True(OpTrace.IsRecording);
            h = x.Linear(w).LeakyRelu(0.25);
            y = h.Softmax(-1);
            Assert.Equal(["Linear", "LeakyRelu", "Softmax"], session.Ops.Select(o => o.Kind));
            var linear = session.Ops[0];
            Assert.Same(x, linear.Inputs[0]);
            Assert.Same(w, linear.Inputs[1]);
            Assert.Null(linear.Inputs[2]);
            Assert.Same(session.Ops[1].Outputs[0], session.Ops[2].Inputs[0]);
            Assert.Equal(0.25, session.Ops[1].Get<double>("negativeSlope"));
            Assert.Equal(1, session.Ops[2].Get<int>("dim"));          // normalized
            Assert.Same(y, session.Ops[2].Outputs[0]);
            Assert.Null(linear.Module);
        }
        Assert.False(OpTrace.IsRecording);
    }

    [Fact]
    public void RecordsNothingWithoutASession()
    {
        using var session = OpTraceSession.Start();
        session.Dispose();
        Tensor.RandN([2, 2], new Generator(1)).Relu().Sum();
        Assert.Empty(session.Ops);
        Assert.False(OpTrace.IsRecording);
    }

    [Fact]
    public void AViewThatReturnsItsInputAndAnotherThreadsOpsAreNotRecorded()
    {
        var x = Tensor.RandN([2, 3], new Generator(1));
        using var session = OpTraceSession.Start();
        Assert.Same(x, x.Reshape(2, 3));
        Assert.Same(x, x.To(DType.Float32));
        var other = new Thread(() => x.Exp());
        other.Start();
        other.Join();
        Assert.Empty(session.Ops);
    }

    [Fact]
    public void CreationFunctionsReportConstantsButRandomFillsDoNot()
    {
        using var session = OpTraceSession.Start();
        var c = Tensor.Full([2], 3.0);
        var z = Tensor.Zeros(3);
        var a = Tensor.Arange(0, 4);
        Tensor.RandN([2], new Generator(1));
        var constants = session.Ops.Where(o => o.Kind == TracedOp.ConstantKind).Select(o => o.Outputs[0]).ToList();
        Assert.Equal(3, constants.Count);
        Assert.Contains(c, constants);
        Assert.Contains(z, constants);
        Assert.Contains(a, constants);
    }

    [Fact]
    public void OpsAreAttributedToTheInnermostRunningModule()
    {
        var inner = new Linear(3, 3, generator: new Generator(1));
        var relu = new ReLU();
        var model = new Sequential(new Sequential(inner, relu), new Tanh());
        using var session = OpTraceSession.Start();
        OpTrace.Forward(model, Tensor.RandN([2, 3], new Generator(2)));
        Assert.Equal(["Linear", "Relu", "Tanh"], session.Ops.Select(o => o.Kind));
        Assert.Same(inner, session.Ops[0].Module);
        Assert.Same(relu, session.Ops[1].Module);
        Assert.IsType<Tanh>(session.Ops[2].Module);
        Assert.Null(session.CurrentModule);
    }

    [Fact]
    public void TheFusedConvolutionIsOneOpOfTheFirstFusedLayer()
    {
        var conv = new Conv2d(1, 2, 3, padding: 1, generator: new Generator(1));
        var model = new Sequential(conv, new ReLU(), new MaxPool2d(2));
        using var session = OpTraceSession.Start();
        var y = model.Call(Tensor.RandN([1, 1, 6, 6], new Generator(2)));
        var op = Assert.Single(session.Ops);
        Assert.Equal("Conv2dReluMaxPool", op.Kind);
        Assert.Same(conv, op.Module);
        Assert.Same(y, op.Outputs[0]);
        Assert.Equal([1, 1], op.Get<int[]>("padding"));
    }

    [Fact]
    public void SessionsDoNotNest()
    {
        using var session = OpTraceSession.Start();
        Assert.Throws<InvalidOperationException>(OpTraceSession.Start);
    }

    [Fact]
    public void StorageVersionsAreTakenWhenTheOpRuns()
    {
        var x = Tensor.RandN([3], new Generator(1));
        using var session = OpTraceSession.Start();
        var y = x.Exp();
        using (Autograd.Autograd.NoGrad())
            y.AddInPlace(1.0);
        var op = Assert.Single(session.Ops, o => o.Kind == "Exp");
        Assert.Equal(y.Storage.Version - 1, op.OutputVersions[0]);
    }
}

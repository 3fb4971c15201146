using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Tests.Devices;

// Module.To moves parameters, buffers and gradients in place; an optimizer built before the move keeps working.
public sealed class ModuleDeviceTests
{
    // y = tanh(x·W1 + b1)·W2 with a buffer, in tensor ops only.
    private sealed class TinyNet : Module
    {
        public readonly Tensor W1, B1, W2;

        public TinyNet(ulong seed)
        {
            var g = new Generator(seed);
            W1 = RegisterParameter("w1", Tensor.RandN([3, 5], g))!;
            B1 = RegisterParameter("b1", Tensor.RandN([5], g))!;
            W2 = RegisterParameter("w2", Tensor.RandN([5, 2], g))!;
            RegisterBuffer("scale", Tensor.Full([2], 0.5));
        }

        public Tensor Scale => Buffers().Single();

        public override Tensor Forward(Tensor x) => (x.MatMul(W1) + B1).Tanh().MatMul(W2) * Scale;
    }

    private static (Tensor X, Tensor Y) Batch(int step)
    {
        var g = new Generator(100 + (ulong)step);
        return (Tensor.RandN([4, 3], g), Tensor.RandN([4, 2], g));
    }

    private static void Backward(Module net, Tensor x, Tensor y)
    {
        var d = net.Call(x) - y;
        (d * d).Mean().Backward();
    }

    [Fact]
    public void ToMovesParametersBuffersAndGradientsInPlace()
    {
        var net = new TinyNet(1);
        var (x, y) = Batch(0);
        Backward(net, x, y);
        var parameters = net.Parameters().ToArray();
        var grads = parameters.Select(p => p.Grad!).ToArray();
        var values = parameters.Select(p => p.ToArray<float>()).ToArray();
        var gradValues = grads.Select(g => g.ToArray<float>()).ToArray();

        Assert.Same(net, net.To(FakeDevice.Backend));

        Assert.Equal(FakeDevice.Device, net.Device);
        Assert.Equal(parameters, net.Parameters());
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            Assert.Equal(FakeDevice.Device, p.Device);
            Assert.True(p.RequiresGrad);
            Assert.True(p.IsLeaf);
            Assert.Equal(values[i], p.ToArray<float>());
            Assert.Same(grads[i], p.Grad);
            Assert.Equal(FakeDevice.Device, p.Grad!.Device);
            Assert.Equal(gradValues[i], p.Grad.ToArray<float>());
        }
        Assert.Equal(FakeDevice.Device, net.Scale.Device);
        Assert.Equal([0.5f, 0.5f], net.Scale.ToArray<float>());

        Assert.Same(net, net.Cpu());
        Assert.Equal(Device.Cpu, net.Device);
        Assert.All(net.Parameters(), p => Assert.Equal(Device.Cpu, p.Device));
        Assert.Equal(values[0], parameters[0].ToArray<float>());
        Assert.Equal(Device.Cpu, parameters[0].Grad!.Device);
    }

    [Fact]
    public void ToTheCurrentDeviceChangesNothing()
    {
        var net = new TinyNet(1);
        var storage = net.W1.Raw.Storage;
        net.To(Device.Cpu);
        Assert.Same(storage, net.W1.Raw.Storage);
    }

    [Fact]
    public void AModuleWithoutTensorsIsOnTheCpu() => Assert.Equal(Device.Cpu, new ReLU().Device);

    [Fact]
    public void DeviceOfAModuleSpreadOverTwoDevicesThrows()
    {
        var net = new TinyNet(1);
        net.RegisterParameter("extra", Tensor.Ones([2]).ToFake());
        var e = Assert.Throws<InvalidOperationException>(() => net.Device);
        Assert.Contains("'w1' on cpu", e.Message);
        Assert.Contains($"'extra' on {FakeDevice.Device}", e.Message);
        net.To(FakeDevice.Backend);
        Assert.Equal(FakeDevice.Device, net.Device);
    }

    public static TheoryData<string> Names => ["sgd", "sgd-plain", "adagrad", "rmsprop", "adam", "adamw"];

    internal static Optimizer Make(string name, IEnumerable<Tensor> ps) => name switch
    {
        "sgd" => new SGD(ps, lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        "sgd-plain" => new SGD(ps, lr: 0.05, momentum: 0.9),
        "adagrad" => new Adagrad(ps, lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1),
        "rmsprop" => new RMSprop(ps, lr: 0.01, momentum: 0.5, centered: true, weightDecay: 0.01),
        "adam" => new Adam(ps, lr: 0.05, amsgrad: true, weightDecay: 0.01),
        _ => new AdamW(ps, lr: 0.05, amsgrad: true),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void AnOptimizerBuiltBeforeTheMoveKeepsWorkingAndItsStateFollows(string name)
    {
        // Two identical nets: one stays on the CPU, the other moves to the second device after three steps. The
        // fake device runs the CPU's kernels, so both follow the same trajectory bit for bit.
        var cpuNet = new TinyNet(3);
        var movedNet = new TinyNet(3);
        var cpuOpt = Make(name, cpuNet.Parameters());
        var movedOpt = Make(name, movedNet.Parameters());
        for (int step = 0; step < 8; step++)
        {
            if (step == 3)
                movedNet.To(FakeDevice.Backend);
            var (x, y) = Batch(step);
            foreach (var (net, opt, onFake) in new[] { (cpuNet, cpuOpt, false), (movedNet, movedOpt, step >= 3) })
            {
                opt.ZeroGrad();
                Backward(net, onFake ? x.ToFake() : x, onFake ? y.ToFake() : y);
                opt.Step();
            }
        }
        Assert.Equal(FakeDevice.Device, movedNet.Device);
        foreach (var (a, b) in cpuNet.Parameters().Zip(movedNet.Parameters()))
            Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        // The state dict holds CPU copies of the state, equal on both.
        var cpuState = cpuOpt.StateDict();
        var movedState = movedOpt.StateDict();
        Assert.NotEmpty(movedState.Tensors);
        Assert.Equal(cpuState.Tensors.Keys.Order(), movedState.Tensors.Keys.Order());
        foreach (var (key, t) in movedState.Tensors)
        {
            Assert.Equal(Device.Cpu, t.Device);
            Assert.Equal(cpuState.Tensors[key].ToArray<float>(), t.ToArray<float>());
        }
        Assert.Equal(cpuState.Meta.ToJsonString(), movedState.Meta.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void StateDictSavedOnTheCpuLoadsOntoTheParametersDevice(string name)
    {
        var cpuNet = new TinyNet(5);
        var cpuOpt = Make(name, cpuNet.Parameters());
        for (int step = 0; step < 3; step++)
        {
            cpuOpt.ZeroGrad();
            var (x, y) = Batch(step);
            Backward(cpuNet, x, y);
            cpuOpt.Step();
        }

        // Resume on the other device from the module's and the optimizer's state dicts.
        var fakeNet = new TinyNet(6);
        fakeNet.LoadStateDict(cpuNet.StateDict());
        fakeNet.To(FakeDevice.Backend);
        var fakeOpt = Make(name, fakeNet.Parameters());
        fakeOpt.LoadStateDict(cpuOpt.StateDict());

        for (int step = 3; step < 6; step++)
        {
            var (x, y) = Batch(step);
            cpuOpt.ZeroGrad();
            Backward(cpuNet, x, y);
            cpuOpt.Step();
            fakeOpt.ZeroGrad();
            Backward(fakeNet, x.ToFake(), y.ToFake());
            fakeOpt.Step();
        }
        foreach (var (a, b) in cpuNet.Parameters().Zip(fakeNet.Parameters()))
            Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        // And back: state saved from the device loads onto CPU parameters.
        var again = Make(name, cpuNet.Parameters());
        again.LoadStateDict(fakeOpt.StateDict());
        foreach (var (key, t) in again.StateDict().Tensors)
            Assert.Equal(cpuOpt.StateDict().Tensors[key].ToArray<float>(), t.ToArray<float>());
    }

    [Fact]
    public void AGradientOnAnotherDeviceThanItsParameterIsAnError()
    {
        var p = Tensor.Ones([3]).ToFake();
        p.RequiresGrad = true;
        p.Grad = Tensor.Ones([3]);
        var e = Assert.Throws<InvalidOperationException>(() => new SGD([p], lr: 0.1).Step());
        Assert.Contains("SGD.Step", e.Message);
        Assert.Contains($"on {FakeDevice.Device}", e.Message);
        Assert.Contains("gradient on cpu", e.Message);
    }
}

using Dendrite.Autograd;
using Dendrite.Data;
using Dendrite.Data.Datasets;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Training;
using Dendrite.Training.Callbacks;
using Dendrite.Training.Metrics;

namespace Dendrite.Tests.Docs;

/// <summary>The README's feature sections, as code that must compile and run.</summary>
public sealed class ReadmeSnippetTests
{
    [Fact]
    public void TensorsAndAutograd()
    {
        var g = new Generator(42);
        var w = Tensor.RandN([3, 4], g, DType.Float64);
        w.RequiresGrad = true;
        var x = Tensor.Linspace(-1, 1, 8, DType.Float64).Reshape(2, 4);
        var y = x.MatMul(w.T).Softmax(dim: 1);
        y.Select(1, 0).Sum().Backward();
        Assert.Equal([3, 4], w.Grad!.Shape);
        Assert.StartsWith("tensor([[", w.Grad.ToString());

        using (Dendrite.Autograd.Autograd.NoGrad())
            w.AddInPlace(w.Grad!, alpha: -0.1);

        Assert.True(GradCheck.Check(t => t[0].Tanh().MatMul(t[1].T).Sum(), [Tensor.RandN([2, 4], g, DType.Float64), w]));
    }

    private sealed class LeNet : Module
    {
        readonly Conv2d conv1 = new(1, 6, 5, padding: 2), conv2 = new(6, 16, 5);
        readonly Linear fc1 = new(400, 120), fc2 = new(120, 84), fc3 = new(84, 10);

        public override Tensor Forward(Tensor x)
        {
            x = F.MaxPool2d(F.Relu(conv1.Call(x)), 2);
            x = F.MaxPool2d(F.Relu(conv2.Call(x)), 2).Flatten(1);
            return fc3.Call(F.Relu(fc2.Call(F.Relu(fc1.Call(x)))));
        }
    }

    [Fact]
    public void LayersOptimizersAndSchedules()
    {
        var net = new LeNet();
        Assert.StartsWith("LeNet(", net.ToString());
        var (name, p) = net.NamedParameters().First();
        Assert.Equal("conv1.weight [6, 1, 5, 5] 150", $"{name} {p.Shape} {p.Numel}"); // the README's line prints the shape and the element count
        Assert.Contains("Console.WriteLine($\"{name} {p.Shape} {p.Numel}\");  // conv1.weight [6, 1, 5, 5] 150", ReadmeExampleTests.Readme());
        net.LoadStateDict(net.StateDict());
        Assert.Same(net, net.To(Device.CudaIsAvailable ? Device.Cuda() : Device.Cpu));
        Assert.Equal([2, 10], net.Call(Tensor.Rand(2, 1, 28, 28)).Shape);

        var decay = net.NamedParameters().Where(p => !p.Name.EndsWith("bias")).Select(p => p.Tensor);
        var noDecay = net.NamedParameters().Where(p => p.Name.EndsWith("bias")).Select(p => p.Tensor);
        var opt = new AdamW([new ParamGroup(decay), new ParamGroup(noDecay, weightDecay: 0)], lr: 1e-3);
        var sched = new CosineAnnealingLR(opt, tMax: 10);
        opt.ZeroGrad();
        net.Call(Tensor.Rand(2, 1, 28, 28)).Sum().Backward();
        Assert.True(Utils.ClipGradNorm_(net.Parameters(), 1.0).Item() > 0);
        opt.Step();
        sched.Step();
        Assert.True(opt.Lr < 1e-3);
    }

    [Fact]
    public void TrainerWithCallbacks()
    {
        var (x, y) = Moons.Make(200, noise: 0.1, generator: new Generator(5));
        var data = new TensorDataset(x, y.To(DType.Int64));
        var loader = new DataLoader(data, batchSize: 50, shuffle: true, generator: new Generator(1));
        var devLoader = new DataLoader(data, batchSize: 200);
        var dir = Directory.CreateTempSubdirectory("dendrite-readme");
        try
        {
            var model = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 2));
            var trainer = new Trainer(model, new SGD(model.Parameters(), lr: 0.1), new CrossEntropyLoss(), [new Accuracy()],
                callbacks: [new BestModelCheckpoint("dev_accuracy"), new EarlyStopping("dev_accuracy", patience: 3)])
            { CheckpointPath = Path.Combine(dir.FullName, "checkpoint.safetensors"), Log = null };
            var history = trainer.Fit(loader, devLoader, epochs: 5);
            history.SaveCsv(Path.Combine(dir.FullName, "history.csv"));
            var result = trainer.Evaluate(devLoader);
            Assert.True(result.Metrics["accuracy"] > 0.5);
            Assert.True(File.Exists(Path.Combine(dir.FullName, "checkpoint.safetensors")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

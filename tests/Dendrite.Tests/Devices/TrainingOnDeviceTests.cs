using Dendrite.Data;
using Dendrite.Data.Datasets;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Training;
using Dendrite.Training.Callbacks;
using Dendrite.Training.Metrics;

namespace Dendrite.Tests.Devices;

/// <summary>
/// Training end to end on the GPU backend (ilgpu-cpu, or the GPU named by DENDRITE_TEST_DEVICE): the same jobs and
/// bars as on the CPU.
/// </summary>
[Trait("Category", "Gpu")]
public sealed class TrainingOnDeviceTests
{
    private static readonly Device D = TestDevice.Gpu;

    // The NNDL 2-5-1 sigmoid MLP: N(0, 1) weights from Generator(2), zero biases (as in TrainerTests).
    private static Sequential MoonsMlp()
    {
        var l1 = new Linear(2, 5);
        var l2 = new Linear(5, 1);
        var g = new Generator(2);
        Init.Normal_(l1.Weight, generator: g);
        Init.Normal_(l2.Weight, generator: g);
        Init.Zeros_(l1.Bias!);
        Init.Zeros_(l2.Bias!);
        return new Sequential(l1, new Sigmoid(), l2, new Sigmoid());
    }

    [Fact]
    public void MoonsMlpReachesItsAccuracyBarOnTheDevice()
    {
        var (x, y) = Moons.Peers();
        var all = new TensorDataset(x, y.Reshape(-1, 1));
        var (train, dev, test) = (all.Slice(0, 640), all.Slice(640, 160), all.Slice(800, 200));
        var model = MoonsMlp().To(D);
        var best = new BestModelCheckpoint("dev_accuracy");
        var trainer = new Trainer(model, new SGD(model.Parameters(), lr: 0.2), new BCELoss(), [new Accuracy()], callbacks: [best]) { Log = null };
        Assert.Equal(D, trainer.Device);
        var history = trainer.Fit(new DataLoader(train, batchSize: 640), new DataLoader(dev, batchSize: 160), epochs: 1500);
        Assert.All(model.Parameters(), p => Assert.Equal(D, p.Device));
        var result = trainer.Evaluate(new DataLoader(test, batchSize: 200));
        Assert.True(result.Metrics["accuracy"] >= 0.85, $"test accuracy {result.Metrics["accuracy"]} on {D}");
        Assert.True(history.Series("train_loss")[^1] < history.Series("train_loss")[0]);
    }

    private static Sequential LeNet(Generator g) => new(
        new Conv2d(1, 6, 5, padding: 2, generator: g), new ReLU(), new MaxPool2d(2),
        new Conv2d(6, 16, 5, generator: g), new ReLU(), new MaxPool2d(2), new Flatten(),
        new Linear(400, 120, generator: g), new ReLU(), new Linear(120, 84, generator: g), new ReLU(), new Linear(84, 10, generator: g));

    [Fact]
    public void LeNetStepsMatchTheCpuWithinFloatTolerance()
    {
        var g = new Generator(5);
        var x = Tensor.Rand([16, 1, 28, 28], g);
        var labels = Tensor.RandInt(0, 10, [16], g);
        var cpu = LeNet(new Generator(7));
        var dev = LeNet(new Generator(7)).To(D);
        var optCpu = new Adam(cpu.Parameters(), lr: 1e-3);
        var optDev = new Adam(dev.Parameters(), lr: 1e-3);
        var lossFn = new CrossEntropyLoss();
        for (int step = 0; step < 3; step++)
        {
            optCpu.ZeroGrad();
            optDev.ZeroGrad();
            var lc = lossFn.Call(cpu.Call(x), labels);
            var ld = lossFn.Call(dev.Call(x.To(D)), labels.To(D));
            Assert.Equal(D, ld.Device);
            Assert.Equal(lc.Item(), ld.Item(), 4);
            lc.Backward();
            ld.Backward();
            optCpu.Step();
            optDev.Step();
        }
        foreach (var ((name, pc), (_, pd)) in cpu.NamedParameters().Zip(dev.NamedParameters()))
        {
            var a = pc.ToArray<float>();
            var b = pd.ToArray<float>();
            for (int i = 0; i < a.Length; i++)
                Assert.True(Math.Abs(a[i] - b[i]) <= 1e-4 + 1e-4 * Math.Abs(a[i]), $"{name}[{i}]: cpu {a[i]}, {D} {b[i]}");
        }
    }

    [Fact]
    public void ACheckpointSavedOnOneDeviceLoadsOnTheOther()
    {
        string dir = Path.Combine(Path.GetTempPath(), "dendrite-device-ckpt-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var (x, y) = Moons.Peers();
            var data = new TensorDataset(x, y.Reshape(-1, 1)).Slice(0, 256);
            foreach (var (from, to) in new[] { (D, Device.Cpu), (Device.Cpu, D) })
            {
                string path = Path.Combine(dir, $"{from}-{to}.safetensors");
                var model = MoonsMlp().To(from);
                var trainer = new Trainer(model, new Adam(model.Parameters(), lr: 0.05), new BCELoss()) { Log = null };
                trainer.Fit(new DataLoader(data, batchSize: 64), null, epochs: 2);
                trainer.SaveCheckpoint(path);

                var restored = MoonsMlp().To(to);
                var again = new Trainer(restored, new Adam(restored.Parameters(), lr: 0.05), new BCELoss()) { Log = null };
                again.LoadCheckpoint(path);
                Assert.Equal(2, again.EpochsCompleted);
                foreach (var ((name, a), (_, b)) in model.NamedParameters().Zip(restored.NamedParameters()))
                {
                    Assert.Equal(to, b.Device);
                    Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
                }
                // Training continues on the new device with the restored optimizer state.
                again.Fit(new DataLoader(data, batchSize: 64), null, epochs: 3);
                Assert.All(restored.Parameters(), p => Assert.Equal(to, p.Device));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

using Dendrite.Data;
using Dendrite.Data.Datasets;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Tests.Data;
using Dendrite.Training;
using Dendrite.Training.Callbacks;
using Dendrite.Training.Metrics;

namespace Dendrite.Tests.Training;

public sealed class TrainerTests
{
    // The NNDL 2-5-1 sigmoid MLP: N(0, 1) weights from Generator(2) (layer 1 then layer 2), zero biases.
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

    private static (TensorDataset Train, TensorDataset Dev, TensorDataset Test) MoonsSplits()
    {
        var (x, y) = Moons.Peers();
        var all = new TensorDataset(x, y.Reshape(-1, 1));
        return (all.Slice(0, 640), all.Slice(640, 160), all.Slice(800, 200));
    }

    [Fact]
    public void NndlMoonsMlpReachesTestAccuracyWithBestDevCheckpoint()
    {
        var (train, dev, test) = MoonsSplits();
        var model = MoonsMlp();
        var best = new BestModelCheckpoint("dev_accuracy");
        var trainer = new Trainer(model, new SGD(model.Parameters(), lr: 0.2), new BCELoss(), [new Accuracy()], callbacks: [best]) { Log = null };
        var history = trainer.Fit(new DataLoader(train, batchSize: 640), new DataLoader(dev, batchSize: 160), epochs: 1500);
        Assert.Equal(1500, history.Epochs.Count);
        Assert.Empty(history.Warnings);
        var devAcc = history.Series("dev_accuracy");
        Assert.Equal(devAcc.Max(), best.Best);
        Assert.Equal(Array.IndexOf(devAcc, devAcc.Max()) + 1, best.BestEpoch);
        // The model now holds the best-dev weights.
        Assert.Equal(best.Best, trainer.Evaluate(new DataLoader(dev, batchSize: 160)).Metrics["accuracy"], 12);
        var result = trainer.Evaluate(new DataLoader(test, batchSize: 200));
        Assert.True(result.Metrics["accuracy"] >= 0.85, $"test accuracy {result.Metrics["accuracy"]}");
        Assert.True(history.Series("train_loss")[^1] < history.Series("train_loss")[0]);
    }

    [FashionMnistFact]
    public void SoftmaxRegressionOnFashionMnistReaches80Percent()
    {
        var train = new FashionMnist(train: true, flatten: true);
        var test = new FashionMnist(train: false, flatten: true);
        var model = new Sequential(new Linear(784, 10, generator: new Generator(10)));
        var trainer = new Trainer(model, new SGD(model.Parameters(), lr: 0.1), new CrossEntropyLoss(), [new Accuracy()]) { Log = null };
        var loader = new DataLoader(train, batchSize: 256, shuffle: true, generator: new Generator(11), numWorkers: 1);
        trainer.Fit(loader, null, epochs: 3);
        var r = trainer.Evaluate(new DataLoader(test, batchSize: 1000));
        Assert.True(r.Metrics["accuracy"] >= 0.80, $"test accuracy {r.Metrics["accuracy"]}");
        Assert.Equal(10000, r.Samples);
    }

    // A small classifier with dropout, momentum and a step schedule: everything a resume must restore.
    private sealed record Setup(Trainer Trainer, DataLoader Train, DataLoader Dev, Module Model);

    private static Setup ResumeSetup(string? checkpoint)
    {
        var (x, y) = Circles.Make(200, noise: 0.1, factor: 0.5, generator: new Generator(3));
        var ds = new TensorDataset(x, y.To(DType.Int64));
        var dropoutGen = new Generator(77);
        var model = new Sequential(new Linear(2, 16, generator: new Generator(4)), new ReLU(), new Dropout(0.2, dropoutGen),
            new Linear(16, 2, generator: new Generator(5)));
        var opt = new SGD(model.Parameters(), lr: 0.3, momentum: 0.9);
        var trainer = new Trainer(model, opt, new CrossEntropyLoss(), [new Accuracy()], scheduler: new StepLR(opt, stepSize: 1, gamma: 0.7),
            callbacks: [new BestModelCheckpoint("dev_loss", restoreBestAtEnd: false), new EarlyStopping("dev_loss", patience: 10)])
        {
            Log = null,
            CheckpointPath = checkpoint,
            RecordSteps = true,
        };
        trainer.Generators.Add(dropoutGen);
        return new Setup(trainer, new DataLoader(ds.Slice(0, 150), batchSize: 16, shuffle: true, generator: new Generator(6)),
            new DataLoader(ds.Slice(150, 50), batchSize: 25), model);
    }

    private static float[][] Params(Module m) => [.. m.Parameters().Select(p => p.ToArray<float>())];

    [Fact]
    public void ResumeAfterEpochTwoIsBitwiseIdenticalToAStraightRun()
    {
        using var dir = new TempDir();
        var straight = ResumeSetup(null);
        straight.Trainer.Fit(straight.Train, straight.Dev, 4);

        var first = ResumeSetup(dir.File("ckpt.safetensors"));
        first.Trainer.Fit(first.Train, first.Dev, 2);
        var resumed = ResumeSetup(dir.File("ckpt.safetensors"));
        resumed.Trainer.LoadCheckpoint(dir.File("ckpt.safetensors"));
        Assert.Equal(2, resumed.Trainer.EpochsCompleted);
        resumed.Trainer.Fit(resumed.Train, resumed.Dev, 4);

        var a = Params(straight.Model);
        var b = Params(resumed.Model);
        for (int i = 0; i < a.Length; i++)
            Assert.Equal(a[i], b[i]);
        Assert.Equal(straight.Trainer.History.Series("train_loss"), resumed.Trainer.History.Series("train_loss"));
        Assert.Equal(straight.Trainer.History.Series("dev_loss"), resumed.Trainer.History.Series("dev_loss"));
        Assert.Equal(straight.Trainer.History.Series("lr"), resumed.Trainer.History.Series("lr"));
        Assert.Equal(straight.Trainer.GlobalStep, resumed.Trainer.GlobalStep);
        var bestA = (BestModelCheckpoint)straight.Trainer.Callbacks[0];
        var bestB = (BestModelCheckpoint)resumed.Trainer.Callbacks[0];
        Assert.Equal(bestA.BestEpoch, bestB.BestEpoch);
        Assert.Equal(bestA.Best, bestB.Best);
    }

    [Fact]
    public void CancellationMidEpochCheckpointsAndResumesBitwise()
    {
        using var dir = new TempDir();
        var straight = ResumeSetup(null);
        straight.Trainer.Fit(straight.Train, straight.Dev, 3);

        var path = dir.File("cancel.safetensors");
        var first = ResumeSetup(path);
        using var cts = new CancellationTokenSource();
        var hooked = new Trainer(first.Model, first.Trainer.Optimizer, new CrossEntropyLoss(), [new Accuracy()],
            scheduler: first.Trainer.Scheduler, callbacks: [.. first.Trainer.Callbacks, new StepHook(c => { if (c.GlobalStep == 14) cts.Cancel(); })])
        { Log = null, CheckpointPath = path };
        // Use the same trainer shape for the resumed run: same callbacks count.
        hooked.Generators.Add(first.Trainer.Generators[1]);
        var h = hooked.Fit(first.Train, first.Dev, 3, cts.Token);
        Assert.Contains("cancelled at epoch 2 after step 4", h.StopReason);
        Assert.Equal(1, hooked.EpochsCompleted);

        var resumed = ResumeSetup(path);
        var resumedHooked = new Trainer(resumed.Model, resumed.Trainer.Optimizer, new CrossEntropyLoss(), [new Accuracy()],
            scheduler: resumed.Trainer.Scheduler, callbacks: [.. resumed.Trainer.Callbacks, new StepHook(_ => { })]) { Log = null };
        resumedHooked.Generators.Add(resumed.Trainer.Generators[1]);
        resumedHooked.LoadCheckpoint(path);
        resumedHooked.Fit(resumed.Train, resumed.Dev, 3);
        var a = Params(straight.Model);
        var b = Params(resumed.Model);
        for (int i = 0; i < a.Length; i++)
            Assert.Equal(a[i], b[i]);
        Assert.Equal(straight.Trainer.History.Series("train_loss"), resumedHooked.History.Series("train_loss"));
    }

    [Fact]
    public void NonFiniteLossStopsWithEpochAndStep()
    {
        var x = new float[20];
        for (int i = 0; i < 20; i++)
            x[i] = i;
        x[11] = float.NaN; // sample 5 -> the third batch of two
        var ds = new TensorDataset(Tensor.FromArray(x, 10, 2), Tensor.Zeros(10, 1));
        var model = new Sequential(new Linear(2, 1, generator: new Generator(1)));
        var trainer = new Trainer(model, new SGD(model.Parameters(), lr: 0.001), new MSELoss()) { Log = null };
        var h = trainer.Fit(new DataLoader(ds, batchSize: 2), null, epochs: 3);
        Assert.Contains("NaN at epoch 1, step 3 of 5", h.StopReason);
        Assert.Empty(h.Epochs);
        Assert.Equal(2, trainer.GlobalStep);
        Assert.All(model.Parameters(), p => Assert.All(p.ToArray<float>(), v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void WarnsWhenTheOptimizerHoldsAnotherModelsParameters()
    {
        var (train, _, _) = MoonsSplits();
        var model = MoonsMlp();
        var other = MoonsMlp();
        var log = new StringWriter();
        var trainer = new Trainer(model, new SGD(other.Parameters(), lr: 0.2), new BCELoss()) { Log = log };
        var before = Params(model);
        var h = trainer.Fit(new DataLoader(train, batchSize: 640), null, epochs: 2);
        Assert.Equal(2, h.Warnings.Count);
        Assert.Contains("4 of the optimizer's 4 parameters are not parameters of the model", h.Warnings[0]);
        Assert.Contains("0.weight", h.Warnings[1]);
        Assert.Contains("warning:", log.ToString());
        Assert.Equal(before, Params(model));
    }

    [Fact]
    public void EarlyStoppingAndPlateauReactToAFlatDevLoss()
    {
        var (train, dev, _) = MoonsSplits();
        var model = MoonsMlp();
        var opt = new SGD(model.Parameters(), lr: 1e-6);
        var plateau = new ReduceLROnPlateau(opt, patience: 1, factor: 0.5);
        var trainer = new Trainer(model, opt, new BCELoss(), plateau: plateau, callbacks: [new EarlyStopping("dev_loss", patience: 3, minDelta: 1e-6)]) { Log = null };
        var h = trainer.Fit(new DataLoader(train, batchSize: 640), new DataLoader(dev, batchSize: 160), epochs: 50);
        Assert.Equal(4, h.Epochs.Count);
        Assert.Contains("Early stopping at epoch 4", h.StopReason);
        Assert.Equal(new[] { 1e-6, 1e-6, 1e-6, 0.5e-6 }, h.Series("lr"));
    }

    [Fact]
    public void PerStepSchedulerHistoryExportProgressAndGradientHook()
    {
        var (train, dev, _) = MoonsSplits();
        var model = MoonsMlp();
        var opt = new SGD(model.Parameters(), lr: 0.1);
        var norms = new GradientNormLogger(everySteps: 2);
        var reports = new List<TrainingProgress>();
        var trainer = new Trainer(model, opt, new BCELoss(), [new Accuracy(), new F1Score(2)],
            scheduler: new StepLR(opt, stepSize: 2, gamma: 0.5), schedulerInterval: SchedulerInterval.Step, callbacks: [norms])
        {
            Log = null,
            RecordSteps = true,
            Progress = new SyncProgress(reports.Add),
        };
        var h = trainer.Fit(new DataLoader(train, batchSize: 128), new DataLoader(dev, batchSize: 160), epochs: 2);
        Assert.Equal(10, h.Steps.Count);
        Assert.Equal(new[] { 0.1, 0.1, 0.05, 0.05, 0.025 }, h.Steps.Take(5).Select(s => s.Lr).Select(v => Math.Round(v, 12)));
        Assert.Equal(new[] { 0.1, 0.025 }, h.Series("lr").Select(v => Math.Round(v, 12))); // the lr each epoch started with
        Assert.Equal(h.Steps.Take(5).Average(s => s.Loss), h.Epochs[0]["train_loss"], 12);
        Assert.Equal(4, norms.LastNorms.Count);
        Assert.All(norms.LastNorms.Values, v => Assert.True(v > 0));
        Assert.Equal(2 + 10 + 2, reports.Count);
        Assert.Equal(ProgressKind.EpochEnd, reports[^1].Kind);
        var lastStep = reports.Last(r => r.Kind == ProgressKind.Step);
        Assert.Equal(h.Epochs[1]["train_accuracy"], lastStep.Values!["train_accuracy"]);
        Assert.Equal(5, lastStep.Step);
        Assert.True(lastStep.SamplesPerSecond > 0);
        Assert.Equal(h.Epochs[1]["dev_accuracy"], reports[^1].Values!["dev_accuracy"]);

        var csv = h.ToCsv().Split('\n');
        Assert.Equal("epoch,train_loss,train_accuracy,train_f1,dev_loss,dev_accuracy,dev_f1,lr,seconds", csv[0]);
        Assert.StartsWith("1,", csv[1]);
        var back = History.FromJson(h.ToJson());
        Assert.Equal(h.Series("dev_f1"), back.Series("dev_f1"));
        Assert.Equal(h.Steps.Select(s => s.Loss), back.Steps.Select(s => s.Loss));

        var pred = trainer.Predict(dev.Tensors[0], batchSize: 64);
        Assert.Equal(new[] { 160, 1 }, pred.Shape);
        Assert.False(pred.RequiresGrad);
        Assert.True(model.IsTraining);
    }

    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

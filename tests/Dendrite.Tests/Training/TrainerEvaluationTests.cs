using Dendrite.Data;
using Dendrite.Data.Datasets;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Tests.Data;
using Dendrite.Training;
using Dendrite.Training.Callbacks;
using Dendrite.Training.Metrics;

namespace Dendrite.Tests.Training;

// Evaluation loaders beside dev, evaluation every N epochs, and how Fit reports why it stopped.
public sealed class TrainerEvaluationTests
{
    private static (DataLoader Train, DataLoader Dev, DataLoader Test) Circles3()
    {
        var (x, y) = Circles.Make(300, noise: 0.1, factor: 0.5, generator: new Generator(3));
        var ds = new TensorDataset(x, y.To(DType.Int64));
        return (new DataLoader(ds.Slice(0, 200), batchSize: 50, shuffle: true, generator: new Generator(6)),
            new DataLoader(ds.Slice(200, 50), batchSize: 50), new DataLoader(ds.Slice(250, 50), batchSize: 50));
    }

    private static Trainer Classifier(IEnumerable<TrainerCallback>? callbacks = null, double lr = 0.3)
    {
        var model = new Sequential(new Linear(2, 16, generator: new Generator(4)), new ReLU(), new Linear(16, 2, generator: new Generator(5)));
        return new Trainer(model, new SGD(model.Parameters(), lr: lr, momentum: 0.9), new CrossEntropyLoss(), [new Accuracy()], callbacks: callbacks) { Log = null };
    }

    [Fact]
    public void EvaluationLoadersAreRecordedUnderTheirNameAndMatchEvaluate()
    {
        var (train, dev, test) = Circles3();
        var trainer = Classifier();
        trainer.EvaluationLoaders["test"] = test;
        var h = trainer.Fit(train, dev, epochs: 3);
        Assert.Equal(["train_loss", "train_accuracy", "dev_loss", "dev_accuracy", "test_loss", "test_accuracy", "lr"], h.Keys());
        var r = trainer.Evaluate(test);
        Assert.Equal(r.Loss, h.Epochs[^1]["test_loss"], 12);
        Assert.Equal(r.Metrics["accuracy"], h.Epochs[^1]["test_accuracy"], 12);
        Assert.Equal(StopCause.None, h.StopCause);
        Assert.Null(h.StopReason);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("train")]
    [InlineData("")]
    public void ReservedEvaluationLoaderNamesAreRejected(string name)
    {
        var (train, dev, test) = Circles3();
        var trainer = Classifier();
        trainer.EvaluationLoaders[name] = test;
        var e = Assert.Throws<ArgumentException>(() => trainer.Fit(train, dev, epochs: 1));
        Assert.Contains($"'{name}'", e.Message);
    }

    [Fact]
    public void EvaluateEveryEvaluatesEveryNthAndTheLastEpochAndCallbacksSkipTheOthers()
    {
        var (train, dev, test) = Circles3();
        var best = new BestModelCheckpoint("dev_accuracy", restoreBestAtEnd: false);
        var early = new EarlyStopping("dev_loss", patience: 2);
        var trainer = Classifier([best, early]);
        trainer.EvaluationLoaders["test"] = test;
        trainer.EvaluateEvery = 3;
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.EvaluateEvery = 0);
        var h = trainer.Fit(train, dev, epochs: 7);
        Assert.Equal(7, h.Epochs.Count);
        Assert.Equal([false, false, true, false, false, true, true], h.Epochs.Select(e => e.Evaluated));
        Assert.Equal([3, 6, 7], h.Epochs.Where(e => e.Values.ContainsKey("dev_accuracy")).Select(e => e.Epoch));
        Assert.Equal([3, 6, 7], h.Epochs.Where(e => e.Values.ContainsKey("test_accuracy")).Select(e => e.Epoch));
        Assert.All(h.Epochs, e => Assert.True(e.Values.ContainsKey("train_loss")));
        Assert.Contains(best.BestEpoch, new[] { 3, 6, 7 });
        Assert.Equal(h.Series("dev_accuracy").Max(), best.Best);
        // Early stopping watched only the evaluated epochs (reading dev_loss on the others would have thrown).
        Assert.Contains(early.BestEpoch, new[] { 3, 6, 7 });
        var back = History.FromJson(h.ToJson());
        Assert.Equal(h.Epochs.Select(e => e.Evaluated), back.Epochs.Select(e => e.Evaluated));
    }

    [Fact]
    public void MisspeltMonitorStillFailsOnAnEvaluatedEpoch()
    {
        var (train, dev, _) = Circles3();
        var trainer = Classifier([new BestModelCheckpoint("dev_acuracy")]);
        trainer.EvaluateEvery = 2;
        var e = Assert.Throws<KeyNotFoundException>(() => trainer.Fit(train, dev, epochs: 3));
        Assert.Contains("no value 'dev_acuracy' in epoch 2", e.Message);
    }

    [Fact]
    public void DivergenceStopsQuietlyWithItsCause()
    {
        var (train, dev, _) = Circles3();
        var trainer = Classifier(lr: 1e12);
        var h = trainer.Fit(train, dev, epochs: 20);
        Assert.True(h.Diverged);
        Assert.Equal(StopCause.NonFiniteLoss, h.StopCause);
        Assert.Contains("the loss is", h.StopReason);
        Assert.True(h.Epochs.Count < 20);
        Assert.Equal(StopCause.NonFiniteLoss, History.FromJson(h.ToJson()).StopCause);
    }

    [Fact]
    public void EarlyStopAndCancellationHaveTheirCausesAndAResumedFitClearsTheOldOne()
    {
        using var dir = new TempDir();
        var (train, dev, _) = Circles3();
        var stopped = Classifier([new EarlyStopping("dev_loss", patience: 1, minDelta: 10)]);
        Assert.Equal(StopCause.Requested, stopped.Fit(train, dev, epochs: 5).StopCause);

        string path = dir.File("c.safetensors");
        var trainer = Classifier();
        trainer.CheckpointPath = path;
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var h = trainer.Fit(train, dev, epochs: 2, cts.Token);
        Assert.Equal(StopCause.Cancelled, h.StopCause);
        Assert.Contains("cancelled at epoch 1 after step 0", h.StopReason);
        Assert.True(File.Exists(path));

        var resumed = Classifier();
        resumed.LoadCheckpoint(path);
        Assert.Equal(StopCause.Cancelled, resumed.History.StopCause);
        var h2 = resumed.Fit(train, dev, epochs: 2);
        Assert.Equal(StopCause.None, h2.StopCause);
        Assert.Null(h2.StopReason);
        Assert.Equal(2, h2.Epochs.Count);
    }
}

using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Runs;
using Dendrite.Cli.Ui;
using Dendrite.Data;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Training;
using Dendrite.Training.Metrics;

namespace Dendrite.Tests.Cli;

public sealed class TrainingProgressBarTests
{
    private sealed class Recorder : IProgressScope, IProgressTask
    {
        public List<(string Name, double Total)> Tasks { get; } = [];
        public List<(double Value, string Status)> Updates { get; } = [];
        public string? Completed { get; private set; }
        public IProgressTask AddTask(string description, double total) { Tasks.Add((description, total)); return this; }
        public void Update(double value, string status) => Updates.Add((value, status));
        public void Complete(string status) => Completed = status;
    }

    private static Trainer Classifier(double lr, Func<Optimizer, LRScheduler>? scheduler = null)
    {
        var model = new Sequential(new Linear(2, 8, generator: new Generator(4)), new ReLU(), new Linear(8, 2, generator: new Generator(5)));
        var opt = new SGD(model.Parameters(), lr: lr);
        return new Trainer(model, opt, new CrossEntropyLoss(), [new Accuracy()], scheduler?.Invoke(opt)) { Log = null };
    }

    private static (DataLoader Train, DataLoader Dev) Loaders()
    {
        var (x, y) = Dendrite.Data.Datasets.Circles.Make(120, noise: 0.1, factor: 0.5, generator: new Generator(3));
        var data = new LabeledData(x, y.To(DType.Int64));
        return (LabTrainer.Loader(data.Slice(0, 100), 25, new Generator(6)), LabTrainer.EvalLoader(data.Slice(100, 20)));
    }

    [Fact]
    public void BarFollowsEpochsAndBatchesWithLossAccuracyDevValuesRateAndEta()
    {
        var recorder = new Recorder();
        var trainer = Classifier(0.1);
        var bar = new TrainingProgressBar(recorder, "circles");
        trainer.Progress = bar;
        var (train, dev) = Loaders();
        var history = trainer.Fit(train, dev, epochs: 3);
        bar.Complete(history);

        Assert.Equal([("circles", 12.0)], recorder.Tasks); // 3 epochs × 4 batches
        Assert.Equal(12.0, recorder.Updates[^1].Value);
        Assert.Equal(Enumerable.Range(0, 13).Select(i => (double)i), recorder.Updates.Select(u => u.Value).Distinct()); // from the first epoch start on
        string last = recorder.Updates[^1].Status;
        Assert.StartsWith("epoch 3/3 batch 4/4 ETA 0:00\nloss ", last); // where it is, then the numbers
        Assert.Contains($"dev loss {history.Epochs[^1]["dev_loss"]:F4} acc {history.Epochs[^1]["dev_accuracy"]:F4}", last);
        Assert.EndsWith(" samples/s", last);
        Assert.Equal(1, last.Split("ETA").Length - 1);
        var step = recorder.Updates.First(u => u.Status.StartsWith("epoch 1/3 batch 2/4", StringComparison.Ordinal)).Status;
        Assert.Contains(" acc ", step);
        Assert.DoesNotContain("dev", step); // no dev values before the first epoch ends
        Assert.Equal(last, recorder.Completed);
    }

    [Fact]
    public void DivergenceIsShownAndTheLabHistoryKeepsTheLrOnlyWhenItChanges()
    {
        var recorder = new Recorder();
        var diverging = Classifier(1e12);
        var bar = new TrainingProgressBar(recorder, "boom");
        diverging.Progress = bar;
        var (train, dev) = Loaders();
        var h = diverging.Fit(train, dev, epochs: 5);
        bar.Complete(h);
        Assert.True(h.Diverged);
        Assert.StartsWith("diverged (non-finite loss) at epoch ", recorder.Completed);

        var constant = Classifier(0.1);
        var stepped = Classifier(0.1, opt => new StepLR(opt, stepSize: 1, gamma: 0.5));
        var runs = new RunHistory();
        LabTrainer.CopyHistory(constant.Fit(train, dev, 2), runs, "constant");
        LabTrainer.CopyHistory(stepped.Fit(train, dev, 2), runs, "stepped");
        Assert.Empty(runs.Curve("constant", "lr").X);
        Assert.Equal([0.1, 0.05], runs.Curve("stepped", "lr").Y.Select(v => Math.Round(v, 12)));
        Assert.Equal([1.0, 2.0], runs.Curve("constant", "dev_accuracy").X);
    }

    [Fact]
    public void DurationsAreMinutesSecondsOrHours()
    {
        Assert.Equal("0:05", TrainingProgressBar.Duration(4.6));
        Assert.Equal("2:03", TrainingProgressBar.Duration(123));
        Assert.Equal("1:00:00", TrainingProgressBar.Duration(3600));
        Assert.Equal("?", TrainingProgressBar.Duration(double.NaN));
    }
}

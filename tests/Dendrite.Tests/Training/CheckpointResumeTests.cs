using System.Text.Json.Nodes;
using Dendrite.Data;
using Dendrite.Data.Datasets;
using Dendrite.IO;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Tests.Data;
using Dendrite.Training;
using Dendrite.Training.Callbacks;
using Dendrite.Training.Metrics;

namespace Dendrite.Tests.Training;

// Checkpoints written by Fit: their cost does not grow with the epochs done, and a run resumed from one, wherever it
// was interrupted, has the whole history of the uninterrupted run, bit for bit.
public sealed class CheckpointResumeTests
{
    // A metric that keeps its totals to itself: resumed mid-epoch, its train value is unknown.
    private sealed class OpaqueCount : IMetric
    {
        private long _n;
        public string Name => "count";
        public bool HigherIsBetter => true;
        public void Update(Tensor prediction, Tensor target) => _n += prediction.Size(0);
        public double Compute() => _n;
        public void Reset() => _n = 0;
    }

    internal sealed record Setup(Trainer Trainer, DataLoader Train, DataLoader Dev);

    // Dropout, momentum, a per-step schedule, several metrics and step records: everything a resume must restore.
    internal static Setup Build(string? checkpoint, Action<StepContext>? hook = null, bool opaque = false)
    {
        var (x, y) = Circles.Make(120, noise: 0.15, factor: 0.5, generator: new Generator(3));
        var ds = new TensorDataset(x, y.To(DType.Int64));
        var dropout = new Generator(77);
        var model = new Sequential(new Linear(2, 12, generator: new Generator(4)), new ReLU(), new Dropout(0.3, dropout),
            new Linear(12, 2, generator: new Generator(5)));
        var opt = new SGD(model.Parameters(), lr: 0.2, momentum: 0.9);
        IMetric[] metrics = opaque ? [new Accuracy(), new OpaqueCount()] : [new Accuracy(), new F1Score(2), new ConfusionMatrix(2)];
        var trainer = new Trainer(model, opt, new CrossEntropyLoss(), metrics, new StepLR(opt, stepSize: 3, gamma: 0.8), SchedulerInterval.Step,
            callbacks: [new BestModelCheckpoint("dev_loss", restoreBestAtEnd: false), new StepHook(hook ?? (_ => { }))])
        {
            Log = null,
            CheckpointPath = checkpoint,
            RecordSteps = true,
        };
        trainer.Generators.Add(dropout);
        return new Setup(trainer, new DataLoader(ds.Slice(0, 100), batchSize: 16, shuffle: true, generator: new Generator(6)),
            new DataLoader(ds.Slice(100, 20), batchSize: 10));
    }

    private static void AssertSameHistory(History expected, History actual)
    {
        Assert.Equal(expected.Epochs.Count, actual.Epochs.Count);
        for (int e = 0; e < expected.Epochs.Count; e++)
        {
            Assert.Equal(expected.Epochs[e].Values.Keys, actual.Epochs[e].Values.Keys);
            foreach (var (k, v) in expected.Epochs[e].Values)
                Assert.True(BitConverter.DoubleToInt64Bits(v) == BitConverter.DoubleToInt64Bits(actual.Epochs[e].Values[k]),
                    $"epoch {e + 1} {k}: {v:R} vs {actual.Epochs[e].Values[k]:R}");
        }
        Assert.Equal(expected.Steps, actual.Steps);
    }

    [Fact]
    public void EveryInterruptionPointResumesToTheSameHistoryBitForBit()
    {
        using var dir = new TempDir();
        var straight = Build(null);
        var expected = straight.Trainer.Fit(straight.Train, straight.Dev, 2);
        int steps = straight.Train.Count * 2;
        for (int stop = 1; stop < steps; stop++)
        {
            string path = dir.File($"stop{stop}.safetensors");
            using var cts = new CancellationTokenSource();
            int at = stop;
            var first = Build(path, c => { if (c.GlobalStep == at) cts.Cancel(); });
            Assert.Equal(StopCause.Cancelled, first.Trainer.Fit(first.Train, first.Dev, 2, cts.Token).StopCause);
            var resumed = Build(path);
            resumed.Trainer.LoadCheckpoint(path);
            var history = resumed.Trainer.Fit(resumed.Train, resumed.Dev, 2);
            AssertSameHistory(expected, history);
            Assert.Empty(history.Warnings);
        }
    }

    [Fact]
    public void AMetricThatCannotSaveItsTotalsIsUnknownRatherThanWrongAfterAMidEpochResume()
    {
        using var dir = new TempDir();
        string path = dir.File("c.safetensors");
        using var cts = new CancellationTokenSource();
        var first = Build(path, c => { if (c.GlobalStep == 3) cts.Cancel(); }, opaque: true);
        first.Trainer.Fit(first.Train, first.Dev, 2, cts.Token);
        var resumed = Build(path, opaque: true);
        resumed.Trainer.LoadCheckpoint(path);
        var history = resumed.Trainer.Fit(resumed.Train, resumed.Dev, 2);
        Assert.True(double.IsNaN(history.Epochs[0]["train_count"]));
        Assert.Equal(100, history.Epochs[1]["train_count"]);
        Assert.False(double.IsNaN(history.Epochs[0]["train_accuracy"]));
        Assert.Contains(history.Warnings, w => w.Contains("train_count of epoch 1 is unknown"));
    }

    [Fact]
    public void TheCheckpointStaysTheSameSizeAsEpochsAccumulateAndItsJournalOnlyGrows()
    {
        using var dir = new TempDir();
        string path = dir.File("last.safetensors");
        var s = Build(path);
        s.Trainer.RecordSteps = false;
        s.Trainer.Fit(s.Train, s.Dev, 3);
        int header3 = SafeTensors.ReadHeaderJson(path).Length;
        string journal = dir.File("last.history.jsonl");
        var journal3 = File.ReadAllBytes(journal);
        s.Trainer.Fit(s.Train, s.Dev, 60);
        int header60 = SafeTensors.ReadHeaderJson(path).Length;
        Assert.InRange(header60 - header3, 0, 64); // a few more digits in the counters, not 57 more epochs of history
        var journal60 = File.ReadAllBytes(journal);
        Assert.Equal(journal3, journal60[..journal3.Length]); // appended to, never rewritten
        Assert.Equal(60, File.ReadAllLines(journal).Length);

        var resumed = Build(null);
        resumed.Trainer.RecordSteps = false;
        resumed.Trainer.LoadCheckpoint(path);
        AssertSameHistory(s.Trainer.History, resumed.Trainer.History);
    }

    [Fact]
    public void AJournalWithAHalfWrittenLineStillLoadsAndAMismatchedOneIsNamed()
    {
        using var dir = new TempDir();
        string path = dir.File("last.safetensors");
        var s = Build(path);
        s.Trainer.Fit(s.Train, s.Dev, 2);
        string journal = dir.File("last.history.jsonl");
        File.AppendAllText(journal, "{\"kind\":\"epoch\",\"epo"); // a process killed while appending epoch 3
        var resumed = Build(path);
        resumed.Trainer.LoadCheckpoint(path);
        Assert.Equal(2, resumed.Trainer.History.Epochs.Count);
        resumed.Trainer.Fit(resumed.Train, resumed.Dev, 3); // appends after the good prefix, dropping the fragment
        var again = Build(null);
        again.Trainer.LoadCheckpoint(path);
        Assert.Equal(3, again.Trainer.History.Epochs.Count);

        File.WriteAllText(journal, File.ReadAllText(journal).Replace("\"epoch\":1", "\"epoch\":7"));
        var e = Assert.Throws<CheckpointFormatException>(() => Build(null).Trainer.LoadCheckpoint(path));
        Assert.Contains(journal, e.Message);
        Assert.Contains("does not match", e.Message);
        File.Delete(journal);
        e = Assert.Throws<CheckpointFormatException>(() => Build(null).Trainer.LoadCheckpoint(path));
        Assert.Contains("does not exist", e.Message);
        Assert.Equal("history", e.Key);
    }

    [Fact]
    public void ACheckpointPathInAFolderNotYetCreatedWorks()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "a", "b", "ckpt.safetensors");
        var s = Build(path);
        s.Trainer.Fit(s.Train, s.Dev, 1);
        Assert.True(File.Exists(path));
        Assert.True(File.Exists(Path.Combine(dir.Path, "a", "b", "ckpt.history.jsonl")));
    }

    [Fact]
    public void AnExplicitSaveIsSelfContainedAndKeepsNonFiniteValues()
    {
        using var dir = new TempDir();
        var s = Build(null);
        s.Trainer.Fit(s.Train, s.Dev, 2);
        string path = dir.File("manual.safetensors");
        s.Trainer.SaveCheckpoint(path);
        Assert.False(File.Exists(dir.File("manual.history.jsonl")));
        var back = Build(null);
        back.Trainer.LoadCheckpoint(path);
        AssertSameHistory(s.Trainer.History, back.Trainer.History);

        var h = History.FromJson("""{"epochs":[{"epoch":1,"seconds":0.5,"values":{"a":"Infinity","b":"-Infinity","c":"NaN","d":null}}]}""");
        var round = History.FromJson(h.ToJson());
        Assert.Equal(double.PositiveInfinity, round.Epochs[0]["a"]);
        Assert.Equal(double.NegativeInfinity, round.Epochs[0]["b"]);
        Assert.True(double.IsNaN(round.Epochs[0]["c"]) && double.IsNaN(round.Epochs[0]["d"]));
    }
}

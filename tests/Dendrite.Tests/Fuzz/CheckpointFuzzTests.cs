using Dendrite.IO;
using Dendrite.Tests.Data;
using Dendrite.Tests.Training;
using Dendrite.Training;

namespace Dendrite.Tests.Fuzz;

// Thousands of checkpoints with one metadata entry (or the history journal) mutated: each loads, or is refused with
// a CheckpointFormatException and leaves the trainer as it was; nothing else escapes.
public sealed class CheckpointFuzzTests
{
    private const int Cases = 3000;
    private static readonly string[] Keys = ["trainer", "history", "callbacks", "optimizer", "scheduler", "format"];

    [Fact]
    public void CheckpointMetadataMutationsOnlyGiveCheckpointFormatErrors()
    {
        using var dir = new TempDir();
        string path = dir.File("last.safetensors");
        using var cts = new CancellationTokenSource();
        var s = CheckpointResumeTests.Build(path, c => { if (c.GlobalStep == 9) cts.Cancel(); }); // mid-epoch: partial_epoch and metric states too
        s.Trainer.Fit(s.Train, s.Dev, 2, cts.Token);
        var file = SafeTensors.Read(path);
        string journal = dir.File("last.history.jsonl");
        string goodJournal = File.ReadAllText(journal);
        var mutator = new Mutator(3);
        int rejected = 0;
        for (int i = 0; i < Cases; i++)
        {
            var meta = new Dictionary<string, string>(file.Metadata);
            bool journalCase = i % 10 == 9;
            if (journalCase)
                File.WriteAllText(journal, mutator.MutateJson(goodJournal));
            else
            {
                string key = Keys[i % Keys.Length];
                if (i % 47 == 0)
                    meta.Remove(key);
                else
                    meta[key] = mutator.MutateJson(meta[key]);
            }
            var target = CheckpointResumeTests.Build(null);
            bool check = i % 25 == 0;
            string before = check ? CheckpointValidationTests.Fingerprint(target.Trainer) : "";
            try
            {
                target.Trainer.LoadCheckpoint(new SafeTensorsFile(file.Tensors, meta), path);
            }
            catch (CheckpointFormatException e)
            {
                Assert.Equal(path, e.FilePath);
                Assert.True(e.Message.Length < 1000, $"case {i}: a {e.Message.Length}-character message: {e.Message}");
                if (check)
                    Assert.Equal(before, CheckpointValidationTests.Fingerprint(target.Trainer));
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i}: {e.GetType().Name}: {e.Message}\n{(journalCase ? File.ReadAllText(journal) : string.Join("\n", meta.Select(kv => kv.Key + "=" + kv.Value)))}");
            }
            if (journalCase)
                File.WriteAllText(journal, goodJournal);
        }
        Assert.InRange(rejected, Cases / 2, Cases);
    }
}

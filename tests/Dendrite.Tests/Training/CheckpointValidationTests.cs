using System.Text;
using System.Text.Json.Nodes;
using Dendrite.IO;
using Dendrite.Tests.Data;
using Dendrite.Training;

namespace Dendrite.Tests.Training;

// Hand-edited and mismatched checkpoints: each is refused with the file and the key named, and the trainer that
// refused it is exactly as it was before.
public sealed class CheckpointValidationTests
{
    // Everything a load could change, as text.
    internal static string Fingerprint(Trainer t)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in t.Model.StateDict())
            sb.Append(k).Append(string.Join(",", v.To(DType.Float64).ToArray<double>().Select(d => BitConverter.DoubleToInt64Bits(d)))).Append('\n');
        var opt = t.Optimizer.StateDict();
        sb.Append(opt.Meta.ToJsonString()).Append('\n');
        foreach (var (k, v) in opt.Tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            sb.Append(k).Append(string.Join(",", v.To(DType.Float64).ToArray<double>())).Append('\n');
        sb.Append(t.Scheduler?.StateDict().ToJsonString()).Append('\n');
        foreach (var c in t.Callbacks)
        {
            var tensors = new Dictionary<string, Tensor>();
            sb.Append(c.SaveState(tensors, "")?.ToJsonString()).Append(tensors.Count).Append('\n');
        }
        sb.Append(t.EpochsCompleted).Append(' ').Append(t.GlobalStep).Append(' ').Append(t.History.ToJson());
        return sb.ToString();
    }

    private static (TempDir Dir, string Path, SafeTensorsFile File) Saved()
    {
        var dir = new TempDir();
        var s = CheckpointResumeTests.Build(null);
        s.Trainer.Fit(s.Train, s.Dev, 2);
        string path = dir.File("good.safetensors");
        s.Trainer.SaveCheckpoint(path);
        return (dir, path, SafeTensors.Read(path));
    }

    private static string Edited(TempDir dir, SafeTensorsFile file, string key, string? value, string name = "edited.safetensors")
    {
        var meta = new Dictionary<string, string>(file.Metadata);
        if (value is null)
            meta.Remove(key);
        else
            meta[key] = value;
        string path = dir.File(name);
        SafeTensors.Save(path, file.Tensors, meta);
        return path;
    }

    private static string Json(SafeTensorsFile file, string key, Action<JsonObject> edit)
    {
        var o = JsonNode.Parse(file.Metadata[key])!.AsObject();
        edit(o);
        return o.ToJsonString();
    }

    public static TheoryData<string, string?, string> Edits()
    {
        var (dir, _, f) = Saved();
        using (dir)
            return new TheoryData<string, string?, string>
            {
                { "trainer", "{}", "trainer.epochs_completed" },
                { "trainer", "[1,2]", "trainer" },
                { "trainer", "{bad", "trainer" },
                { "trainer", Json(f, "trainer", o => o["epochs_completed"] = -1), "trainer.epochs_completed" },
                { "trainer", Json(f, "trainer", o => o["generators"] = new JsonArray("abc", "1")), "trainer.generators" },
                { "trainer", Json(f, "trainer", o => o["generators"]![0] = new JsonArray("abc", "1")), "trainer.generators" },
                { "trainer", Json(f, "trainer", o => o["epochs_completed"] = 5), "history" },
                { "history", "{\"epochs\":[{\"epoch\":\"x\"}]}", "history" },
                { "history", "{\"epochs\":5}", "history" },
                { "history", null, "history" },
                { "callbacks", "[{\"type\":\"EarlyStopping\",\"state\":null},{\"type\":\"StepHook\"}]", "callbacks[0].type" },
                { "callbacks", "[{\"type\":\"BestModelCheckpoint\",\"state\":{\"best\":\"x\"}},{\"type\":\"StepHook\"}]", "callbacks[0]" },
                { "optimizer", Json(f, "optimizer", o => o["param_groups"]![0]!["momentum"] = "x"), "optimizer" },
                { "optimizer", "{}", "optimizer" },
                { "scheduler", "{}", "scheduler" },
                { "scheduler", null, "scheduler" },
                { "format", null, "format" },
                { "format", "dendrite.training.v0", "format" },
            };
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public void AHandEditedCheckpointIsRefusedByKeyAndChangesNothing(string key, string? value, string reportedKey)
    {
        var (dir, _, file) = Saved();
        using (dir)
        {
            string path = Edited(dir, file, key, value);
            var target = CheckpointResumeTests.Build(null);
            target.Trainer.Fit(target.Train, target.Dev, 1); // some state of its own, which must survive
            string before = Fingerprint(target.Trainer);
            var e = Assert.Throws<CheckpointFormatException>(() => target.Trainer.LoadCheckpoint(path));
            Assert.Equal(path, e.FilePath);
            Assert.StartsWith(reportedKey, e.Key);
            Assert.Contains(path, e.Message);
            Assert.Equal(before, Fingerprint(target.Trainer));
        }
    }

    [Fact]
    public void WeightsOfAnotherShapeOrMissingPartsAreNamedWithoutTouchingTheModel()
    {
        var (dir, path, file) = Saved();
        using (dir)
        {
            var tensors = new Dictionary<string, Tensor>(file.Tensors) { ["model.0.weight"] = Tensor.Zeros(3, 2) };
            SafeTensors.Save(dir.File("shape.safetensors"), tensors, file.Metadata);
            var target = CheckpointResumeTests.Build(null);
            string before = Fingerprint(target.Trainer);
            var e = Assert.Throws<CheckpointFormatException>(() => target.Trainer.LoadCheckpoint(dir.File("shape.safetensors")));
            Assert.Equal("model.0.weight", e.Key);
            Assert.Contains("[3, 2]", e.Message);
            Assert.Equal(before, Fingerprint(target.Trainer));

            // Weights only (what best.safetensors holds) is not a training checkpoint.
            SafeTensors.Save(dir.File("best.safetensors"), file.Tensors.Where(kv => kv.Key.StartsWith("model.")).ToDictionary());
            e = Assert.Throws<CheckpointFormatException>(() => target.Trainer.LoadCheckpoint(dir.File("best.safetensors")));
            Assert.Contains("not a training checkpoint", e.Message);

            File.WriteAllBytes(dir.File("cut.safetensors"), File.ReadAllBytes(path)[..200]);
            e = Assert.Throws<CheckpointFormatException>(() => target.Trainer.LoadCheckpoint(dir.File("cut.safetensors")));
            Assert.Contains("truncated", e.Message);
            Assert.Equal(before, Fingerprint(target.Trainer));
        }
    }

    [Fact]
    public void AHundredThousandStrayEntriesGiveAShortMessage()
    {
        var (dir, _, file) = Saved();
        using (dir)
        {
            var tensors = new Dictionary<string, Tensor>(file.Tensors);
            var empty = Tensor.Zeros(0);
            for (int i = 0; i < 100_000; i++)
                tensors[$"model.stray{i}"] = empty;
            SafeTensors.Save(dir.File("stray.safetensors"), tensors, file.Metadata);
            var e = Assert.Throws<CheckpointFormatException>(() => CheckpointResumeTests.Build(null).Trainer.LoadCheckpoint(dir.File("stray.safetensors")));
            Assert.Contains("and 99992 more", e.Message);
            Assert.True(e.Message.Length < 1000, $"{e.Message.Length} characters");
        }
    }
}

using System.Text.Json.Nodes;
using Dendrite.IO;

namespace Dendrite.Tests.Cli;

// A failed --resume leaves the run folder byte-identical: history, metrics, report, config and checkpoints.
public sealed class ResumeFailureTests
{
    private static Dictionary<string, byte[]> Snapshot(string dir) =>
        Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetRelativePath(dir, p), p => File.Exists(p) ? File.ReadAllBytes(p) : []);

    private static void AssertUnchanged(Dictionary<string, byte[]> before, string dir)
    {
        var after = Snapshot(dir);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before)
            Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed");
    }

    private static string TrainedRun(CliHarness cli)
    {
        var (code, output, _) = cli.Run("train", "--dataset", "moons", "--model", "mlp:2-8-2", "--epochs", "2", "--lr", "0.01", "--out", cli.Root, "--json");
        Assert.Equal(0, code);
        return JsonNode.Parse(output)!["runDir"]!.GetValue<string>();
    }

    private static void Rewrite(string path, Func<SafeTensorsFile, (Dictionary<string, Tensor>, Dictionary<string, string>)> edit)
    {
        var (tensors, meta) = edit(SafeTensors.Read(path));
        SafeTensors.Save(path, tensors, meta);
    }

    public static TheoryData<string> Damages() => ["truncated", "weights only", "bad trainer metadata", "bad history journal", "NaN weights", "exploding lr"];

    [Theory]
    [MemberData(nameof(Damages))]
    public void AFailedResumeChangesNothingInTheRunFolder(string damage)
    {
        using var cli = new CliHarness();
        string run = TrainedRun(cli);
        string last = Path.Combine(run, "last.safetensors");
        string resumeFrom = last;
        switch (damage)
        {
            case "truncated":
                File.WriteAllBytes(last, File.ReadAllBytes(last)[..1000]);
                break;
            case "weights only":
                resumeFrom = Path.Combine(run, "best.safetensors");
                break;
            case "bad trainer metadata":
                Rewrite(last, f => (new(f.Tensors), new(f.Metadata) { ["trainer"] = "{}" }));
                break;
            case "bad history journal":
                File.AppendAllText(Path.Combine(run, "last.history.jsonl"), "");
                File.WriteAllText(Path.Combine(run, "last.history.jsonl"), "{}\n");
                break;
            case "NaN weights":
                Rewrite(last, f => (f.Tensors.ToDictionary(kv => kv.Key, kv => kv.Key.StartsWith("model.") ? Tensor.Full([.. kv.Value.Shape], float.NaN) : kv.Value),
                    new(f.Metadata)));
                break;
            case "exploding lr":
                Rewrite(last, f =>
                {
                    var opt = JsonNode.Parse(f.Metadata["optimizer"])!;
                    opt["param_groups"]![0]!["lr"] = 1e30;
                    return (new(f.Tensors), new(f.Metadata) { ["optimizer"] = opt.ToJsonString() });
                });
                break;
        }
        var before = Snapshot(run);
        var (code, stdout, err) = cli.Run("train", "--resume", resumeFrom, "--epochs", "6");
        Assert.NotEqual(0, code);
        Assert.Equal(damage is "NaN weights" or "exploding lr" ? 1 : 2, code);
        AssertUnchanged(before, run);
        Assert.DoesNotContain("   at ", stdout + err);
        if (code == 1)
            Assert.Contains($"nothing in {run} was changed", stdout);
    }

    [Fact]
    public void ASuccessfulResumeReplacesTheFilesAndLeavesNoStagingBehind()
    {
        using var cli = new CliHarness();
        string run = TrainedRun(cli);
        Directory.CreateDirectory(Path.Combine(run, ".staging-2147483647-0123456789abcdef0123456789abcdef")); // from a killed resume
        var (code, output, _) = cli.Run("train", "--resume", Path.Combine(run, "last.safetensors"), "--epochs", "4", "--json");
        Assert.Equal(0, code);
        Assert.Equal(4, JsonNode.Parse(output)!["metrics"]!["epochs_completed"]!.GetValue<int>());
        Assert.Equal(5, File.ReadAllLines(Path.Combine(run, "history.csv")).Length);
        Assert.Empty(Directory.GetDirectories(run));
        Assert.Empty(Directory.GetFiles(run, ".*"));
    }
}

using System.Text.Json.Nodes;
using Dendrite.IO;
using Dendrite.Training;

namespace Dendrite.Tests.Cli;

// dendrite train: training checkpoints, --resume, and Ctrl+C (the console's interrupt token, cancelled in-process).
public sealed class TrainResumeTests
{
    // Dropout and a step schedule: a resume must restore the dropout stream, the optimizer and the scheduler.
    private static readonly string[] Moons = ["train", "--dataset", "moons", "--model", "mlp:2-16-2", "--dropout", "0.1", "--lr", "0.05", "--batch", "64",
        "--opt", "adam", "--scheduler", "step:2:0.5", "--json"];

    private static string[] Args(string root, params string[] extra) => [.. Moons, "--out", root, .. extra];

    private static Dictionary<string, float[]> Weights(string path) =>
        SafeTensors.Load(path).ToDictionary(kv => kv.Key, kv => kv.Value.ToArray<float>());

    private static void AssertSameWeights(string expected, string actual)
    {
        var a = Weights(expected);
        var b = Weights(actual);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (k, v) in a)
            Assert.Equal(v, b[k]);
    }

    [Fact]
    public void TrainWritesATrainingCheckpointAndResumeContinuesExactly()
    {
        using var cli = new CliHarness();
        var (code, output, _) = cli.Run(Args(Path.Combine(cli.Root, "straight"), "--epochs", "4"));
        Assert.Equal(0, code);
        var straight = JsonNode.Parse(output)!;
        string straightRun = straight["runDir"]!.GetValue<string>();
        string last = Path.Combine(straightRun, "last.safetensors");
        Assert.Equal(Trainer.CheckpointFormat, SafeTensors.ReadMetadata(last)["format"]);
        Assert.Equal(4, straight["metrics"]!["epochs_completed"]!.GetValue<int>());

        (code, output, _) = cli.Run(Args(Path.Combine(cli.Root, "split"), "--epochs", "2"));
        Assert.Equal(0, code);
        string splitRun = JsonNode.Parse(output)!["runDir"]!.GetValue<string>();
        (code, output, _) = cli.Run("train", "--resume", Path.Combine(splitRun, "last.safetensors"), "--epochs", "4", "--json");
        Assert.Equal(0, code);
        var resumed = JsonNode.Parse(output)!;
        Assert.Equal(splitRun, resumed["runDir"]!.GetValue<string>()); // the run continues in its own folder
        Assert.Equal(straight["configHash"]!.GetValue<string>(), resumed["configHash"]!.GetValue<string>());
        Assert.Equal(4, resumed["metrics"]!["epochs_completed"]!.GetValue<int>());

        // 2 + 2 epochs equal 4 straight: weights, optimizer state and history, bit for bit.
        AssertSameWeights(last, Path.Combine(splitRun, "last.safetensors"));
        AssertSameWeights(Path.Combine(straightRun, "best.safetensors"), Path.Combine(splitRun, "best.safetensors"));
        Assert.Equal(File.ReadAllText(Path.Combine(straightRun, "history.csv")), File.ReadAllText(Path.Combine(splitRun, "history.csv")));
        Assert.Equal(straight["metrics"]!["test_acc"]!.GetValue<double>(), resumed["metrics"]!["test_acc"]!.GetValue<double>());
        Assert.Equal(straight["metrics"]!["test_acc_last"]!.GetValue<double>(), resumed["metrics"]!["test_acc_last"]!.GetValue<double>());

        // eval reads the model part of a training checkpoint: the last epoch's test accuracy.
        (code, output, _) = cli.Run("eval", "--checkpoint", last, "--json");
        Assert.Equal(0, code);
        Assert.Equal(straight["metrics"]!["test_acc_last"]!.GetValue<double>(), JsonNode.Parse(output)!["testAcc"]!.GetValue<double>(), 5);
    }

    [Fact]
    public void InterruptEndsWithACheckpointExitCode130AndAResumeHint()
    {
        using var cli = new CliHarness();
        using var ctrlC = new CancellationTokenSource();
        ctrlC.Cancel(); // pressed before the first step: the checkpoint holds the untrained state
        var (code, output, err) = cli.Run(ctrlC.Token, Args(Path.Combine(cli.Root, "cancelled"), "--epochs", "3"));
        Assert.Equal(130, code);
        var result = JsonNode.Parse(output)!;
        Assert.Equal("cancelled", result["status"]!.GetValue<string>());
        string run = result["runDir"]!.GetValue<string>();
        string checkpoint = Path.Combine(run, "last.safetensors");
        Assert.True(File.Exists(checkpoint));
        string message = result["message"]!.GetValue<string>();
        Assert.Contains("cancelled at epoch 1 after step 0", message);
        Assert.Contains($"dendrite train --resume {checkpoint}", message);
        Assert.Contains("--resume", err); // the summary (stderr with --json) says how to continue
        Assert.Equal("cancelled", JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!["status"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(run, "report.html")));

        (code, output, _) = cli.Run("train", "--resume", checkpoint, "--json");
        Assert.Equal(0, code);
        Assert.Equal(3, JsonNode.Parse(output)!["metrics"]!["epochs_completed"]!.GetValue<int>());
        (code, output, _) = cli.Run(Args(Path.Combine(cli.Root, "straight"), "--epochs", "3"));
        Assert.Equal(0, code);
        AssertSameWeights(Path.Combine(JsonNode.Parse(output)!["runDir"]!.GetValue<string>(), "last.safetensors"), checkpoint);
    }

    [Fact]
    public void ResumeRejectsChangedSettingsAndMissingCheckpoints()
    {
        using var cli = new CliHarness();
        var (code, output, _) = cli.Run(Args(cli.Root, "--epochs", "1"));
        Assert.Equal(0, code);
        string checkpoint = Path.Combine(JsonNode.Parse(output)!["runDir"]!.GetValue<string>(), "last.safetensors");
        var (badCode, _, err) = cli.Run("train", "--resume", checkpoint, "--lr", "0.1");
        Assert.Equal(2, badCode);
        Assert.Contains("only --epochs may change, but --lr was given", err);
        (badCode, _, err) = cli.Run("train", "--resume", Path.Combine(cli.Root, "nope.safetensors"));
        Assert.Equal(2, badCode);
        Assert.Contains("does not exist", err);
    }

    [Fact]
    public void EarlyStopEndsTheRunAndSaysWhy()
    {
        using var cli = new CliHarness();
        var (code, output, err) = cli.Run(Args(cli.Root, "--epochs", "30", "--early-stop", "1", "--weight-decay", "1e3"));
        Assert.True(code == 0, err);
        var metrics = JsonNode.Parse(output)!["metrics"]!;
        Assert.True(metrics["epochs_completed"]!.GetValue<int>() < 30);
        Assert.Contains("Early stopping", metrics["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public void InterruptedSearchIsCancelled()
    {
        using var cli = new CliHarness();
        using var ctrlC = new CancellationTokenSource();
        ctrlC.Cancel();
        var (code, output, _) = cli.Run(ctrlC.Token, "search", "--dataset", "moons", "--epochs", "2", "--rounds", "1", "--trials", "2",
            "--out", cli.Root, "--json");
        Assert.Equal(130, code);
        Assert.Contains("Search cancelled after 0 of 2 trials", JsonNode.Parse(output)!["message"]!.GetValue<string>());
    }
}

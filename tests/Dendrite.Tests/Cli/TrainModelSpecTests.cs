using System.Text.Json.Nodes;

namespace Dendrite.Tests.Cli;

// Model specs of `dendrite train` beyond the fixed ones: per-layer MLP widths ending in a single logit.
public sealed class TrainModelSpecTests
{
    [Fact]
    public void ATwoHiddenLayerMlpWithOneLogitTrainsAndEvaluatesOnMoons()
    {
        using var cli = new CliHarness();
        var (code, output, err) = cli.Run("train", "--dataset", "moons", "--model", "mlp:2-5-3-1", "--act", "sigmoid", "--opt", "sgd", "--lr", "1",
            "--batch", "64", "--epochs", "30", "--out", cli.Root, "--json");
        Assert.True(code == 0, err);
        var result = JsonNode.Parse(output)!;
        var metrics = result["metrics"]!;
        Assert.Equal(2 * 5 + 5 + 5 * 3 + 3 + 3 * 1 + 1, metrics["parameters"]!.GetValue<int>());
        Assert.InRange(metrics["test_acc"]!.GetValue<double>(), 0.75, 1);
        string dir = result["runDir"]!.GetValue<string>();
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!;
        Assert.Equal("mlp:2-5-3-1", config["settings"]!["model"]!.GetValue<string>());
        // The confusion matrix reads the single logit as class 1 when positive: both classes are predicted.
        Assert.Contains("Confusion matrix", File.ReadAllText(Path.Combine(dir, "report.html")));

        (code, output, err) = cli.Run("eval", "--checkpoint", Path.Combine(dir, "best.safetensors"), "--json");
        Assert.True(code == 0, err);
        Assert.Equal(metrics["test_acc"]!.GetValue<double>(), JsonNode.Parse(output)!["testAcc"]!.GetValue<double>(), 9);
    }

    [Fact]
    public void AnMlpEndingInNeitherTheClassesNorOneLogitIsAUsageError()
    {
        using var cli = new CliHarness();
        var (code, stdout, err) = cli.Run("train", "--dataset", "moons", "--model", "mlp:2-5-3-3", "--out", cli.Root);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: --model is 'mlp:2-5-3-3': an MLP's last size must be the 2 classes of the data (or 1: a single logit)", err);
        (code, _, err) = cli.Run("train", "--dataset", "fashion-mnist", "--model", "mlp:784-64-1", "--out", cli.Root);
        Assert.Equal(2, code);
        Assert.Contains("must be the 10 classes of the data, e.g. mlp:784-64-10", err);
        Assert.Empty(Directory.GetFileSystemEntries(cli.Root));
    }
}

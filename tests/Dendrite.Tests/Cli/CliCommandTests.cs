using System.Text.Json.Nodes;
using Dendrite.Cli.Commands;
using Dendrite.Cli.Lab;
using Dendrite.Cli.Ui;

namespace Dendrite.Tests.Cli;

public sealed class CliCommandTests
{
    [Fact]
    public void LabListShowsAllSixteenExperiments()
    {
        using var cli = new CliHarness();
        var (code, output, _) = cli.Run("lab", "list");
        Assert.Equal(0, code);
        Assert.Equal(16, ExperimentRegistry.All.Count);
        foreach (var e in ExperimentRegistry.All) Assert.Contains(e.Name, output);
        Assert.DoesNotContain("\u001b[", output); // no ANSI sequences when not on a terminal
    }

    [Fact]
    public void LabListJsonIsAnArrayOfExperiments()
    {
        using var cli = new CliHarness();
        var (code, output, _) = cli.Run("lab", "list", "--json");
        Assert.Equal(0, code);
        var arr = JsonNode.Parse(output)!.AsArray();
        Assert.Equal(16, arr.Count);
        Assert.Equal("fit-function", arr[0]!["name"]!.GetValue<string>());
        Assert.True(arr.Single(e => e!["name"]!.GetValue<string>() == "cnn")!["needsFashionMnist"]!.GetValue<bool>());
    }

    [Fact]
    public void UnknownExperimentIsAUserErrorListingTheNames()
    {
        using var cli = new CliHarness();
        var (code, _, err) = cli.Run("lab", "run", "no-such-lab", "--out", cli.Root);
        Assert.Equal(2, code);
        Assert.Contains("unknown experiment 'no-such-lab'", err);
        Assert.Contains("moons-mlp", err);
    }

    [Fact]
    public void ParseErrorsGiveNonZeroExitCode()
    {
        using var cli = new CliHarness();
        var (code, _, err) = cli.Run("lab", "run", "perceptron", "--seed", "notanumber");
        Assert.NotEqual(0, code);
        Assert.Contains("notanumber", err);
    }

    [Fact]
    public void TrainOptionsOverrideTheConfigFile()
    {
        using var cli = new CliHarness();
        string file = Path.Combine(cli.Root, "cfg.json");
        File.WriteAllText(file, """{ "dataset": "moons", "lr": 0.5, "epochs": 3, "opt": "sgd", "batchnorm": true }""");
        var opts = new TrainOptions();
        var cmd = new System.CommandLine.Command("train");
        opts.AddTo(cmd);
        var cfg = opts.Resolve(cmd.Parse(["--config", file, "--lr", "0.01", "--scheduler", "step:5:0.5"]));
        Assert.Equal("moons", cfg.Dataset);
        Assert.Equal(0.01, cfg.Lr);
        Assert.Equal(3, cfg.Epochs);
        Assert.Equal("sgd", cfg.Opt);
        Assert.True(cfg.Batchnorm);
        Assert.Equal("step:5:0.5", cfg.Scheduler);
        Assert.Equal("mlp:2-16-16-2", cfg.ModelOrDefault);
    }

    [Fact]
    public void ConfigFileWithUnknownKeyIsRejected()
    {
        using var cli = new CliHarness();
        string file = Path.Combine(cli.Root, "cfg.json");
        File.WriteAllText(file, """{ "dataset": "moons", "learningRate": 0.5 }""");
        var (code, _, err) = cli.Run("train", "--config", file, "--out", cli.Root);
        Assert.Equal(2, code);
        Assert.Contains("learningRate", err);
    }

    [Fact]
    public void TrainThenEvalOnMoonsWritesCheckpointsAndReproducesTheAccuracy()
    {
        using var cli = new CliHarness();
        var (code, output, _) = cli.Run("train", "--dataset", "moons", "--epochs", "5", "--lr", "0.05", "--batch", "32", "--opt", "adam",
            "--scheduler", "step:2:0.5", "--out", cli.Root, "--json");
        Assert.Equal(0, code);
        var result = JsonNode.Parse(output)!;
        string run = result["runDir"]!.GetValue<string>();
        Assert.True(File.Exists(Path.Combine(run, "best.safetensors")));
        Assert.True(File.Exists(Path.Combine(run, "last.safetensors")));
        double trained = result["metrics"]!["test_acc"]!.GetValue<double>();

        var (evalCode, evalOut, _) = cli.Run("eval", "--checkpoint", Path.Combine(run, "best.safetensors"), "--json");
        Assert.Equal(0, evalCode);
        var eval = JsonNode.Parse(evalOut)!;
        Assert.Equal(200, eval["samples"]!.GetValue<int>());
        Assert.Equal(trained, eval["testAcc"]!.GetValue<double>(), 5);
    }

    [Fact]
    public void QuietModePrintsOnlyTheSummary()
    {
        using var cli = new CliHarness();
        var (code, output, _) = cli.Run("lab", "run", "perceptron", "--out", cli.Root, "--quiet");
        Assert.Equal(0, code);
        Assert.DoesNotContain("sample 1", output);
        Assert.Contains("perceptron", output);
        Assert.Contains("ok", output);
    }

    [Fact]
    public void PlainConsoleWritesNoAnsiAndJsonGoesToStdoutOnly()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var ui = ConsoleUi.Plain(OutputMode.Json, stdout, stderr);
        ui.Line("hello");
        ui.Progress(p => { var t = p.AddTask("task", 2); t.Update(1, "half"); t.Complete("done"); });
        ui.Summary(new TableData("t", "a").Add("1"));
        ui.Json("{\"x\":1}");
        Assert.Equal("{\"x\":1}", stdout.ToString().Trim());
        Assert.Contains("hello", stderr.ToString());
        Assert.Contains("task done", stderr.ToString());
        Assert.DoesNotContain("\u001b[", stderr.ToString());
    }
}

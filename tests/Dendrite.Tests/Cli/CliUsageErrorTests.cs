using System.Text.Json.Nodes;

namespace Dendrite.Tests.Cli;

// Bad input gets one clear line and exit code 2 before anything starts: no run folder, no banner, no stack trace.
public sealed class CliUsageErrorTests
{
    public static TheoryData<string[], string> BadOptions() => new()
    {
        { ["--opt", "adamm"], "--opt is 'adamm', but must be one of sgd, momentum" },
        { ["--model", "foo"], "--model is 'foo': unknown model" },
        { ["--model", "mlp:3-4-2"], "--model is 'mlp:3-4-2': an MLP's first size must be the 2 input features" },
        { ["--model", "mlp:2-4-3"], "last size must be the 2 classes" },
        { ["--model", "lenet"], "--model is 'lenet': lenet takes images, but this data set has 2 features" },
        { ["--model", "cnn:c16k5-pool2-fc64"], "--model is 'cnn:c16k5-pool2-fc64': cnn:c16k5-pool2-fc64 takes images" },
        { ["--model", "mlp:2-5-3-3"], "last size must be the 2 classes of the data (or 1: a single logit)" },
        { ["--scheduler", "step:x"], "--scheduler is 'step:x', but must be step:EVERY:GAMMA" },
        { ["--scheduler", "step:0:0.5"], "--scheduler is 'step:0:0.5'" },
        { ["--lr", "1e400"], "--lr is Infinity, but must be a finite number greater than 0" },
        { ["--lr", "-1"], "--lr is -1" },
        { ["--batch", "0"], "--batch is 0, but must be at least 1" },
        { ["--epochs", "0"], "--epochs is 0, but must be at least 1" },
        { ["--epochs", "abc"], "--epochs expects a whole number, got 'abc'" },
        { ["--epochs", "99999999999"], "--epochs expects a whole number between" },
        { ["--lr", "fast"], "--lr expects a number such as 0.001 or 1e-3, got 'fast'" },
        { ["--dropout", "1"], "--dropout is 1, but must be a finite number of at least 0 and less than 1" },
        { ["--weight-decay", "NaN"], "--weight-decay expects a number such as 0.001 or 1e-3, got 'NaN'" },
        { ["--early-stop", "0"], "--early-stop is 0, but must be at least 1" },
        { ["--init", "xavier"], "--init is 'xavier', but must be one of default, he" },
        { ["--act", "swish"], "--act is 'swish', but must be one of relu" },
        { ["--train-limit", "-5"], "--train-limit is -5, but must be at least 2" },
        { ["--test-limit", "0"], "--test-limit is 0, but must be at least 1" },
        { ["--model", "softmax", "--dropout", "0.5"], "--dropout is 0.5, but must be 0 for softmax" },
        { ["--model", "cnn", "--batchnorm"], "must be 0 for" },
        { ["--batchnorm", "--model", "softmax"], "--batchnorm is True, but must be false for softmax" },
        { ["--config", "/nonexistent/cfg.json"], "--config: the config file /nonexistent/cfg.json does not exist" },
        { ["--device", "gpu"], "--device is 'gpu': not a device (use auto, cpu, cuda, cuda:N or ilgpu-cpu)" },
        { ["--device", "cuda:x"], "--device is 'cuda:x': not a device" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptionsAreUsageErrorsBeforeAnyRunFolderExists(string[] options, string message)
    {
        using var cli = new CliHarness();
        string output = Path.Combine(cli.Root, "runs");
        string[] epochs = options.Contains("--epochs") ? [] : ["--epochs", "2"];
        var (code, stdout, err) = cli.Run(["train", "--dataset", "moons", .. epochs, .. options, "--out", output]);
        if (message.StartsWith("must be 0 for", StringComparison.Ordinal)) // cnn takes images: moons is refused first
            message = "--model is 'cnn'";
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.StartsWith("error: ", err);
        Assert.DoesNotContain("System.", err);
        Assert.DoesNotContain(" at Dendrite", err);
        Assert.Equal("", stdout); // not even the banner
        Assert.False(Directory.Exists(output));
    }

    public static TheoryData<string, string> BadConfigs() => new()
    {
        { """{ "dataset": "moons", "trainLimit": -5 }""", "\"trainLimit\" in {0} is -5, but must be at least 2" },
        { """{ "dataset": "moons", "trainLimit": 0 }""", "\"trainLimit\" in {0} is 0" },
        { """{ "dataset": "moons", "testLimit": 0 }""", "\"testLimit\" in {0} is 0, but must be at least 1" },
        { """{ "dataset": "moons", "devFraction": 0.99999 }""", "\"devFraction\" in {0} is 0.99999: 800 of the 800 training samples would go to the dev split" },
        { """{ "dataset": "moons", "lr": 1e400 }""", "\"lr\" in {0} is 1e400, but must be a finite number" },
        { """{ "dataset": "moons", "lr": "fast" }""", "\"lr\" in {0} is \"fast\", but must be a finite number" },
        { """{ "dataset": "moons", "epochs": 2.5 }""", "\"epochs\" in {0} is 2.5, but must be a whole number" },
        { """{ "dataset": "moons", "learningRate": 0.5 }""", "\"learningRate\" in {0} is not a setting" },
        { """{ "dataset": "moons", "modelOrDefault": "mlp:2-4-2" }""", "\"modelOrDefault\" in {0} is not a setting" },
        { """{ "dataset": "moons", "opt": null }""", "\"opt\" in {0} is null, but must be a string" },
        { """{ "dataset": "imagenet" }""", "\"dataset\" in {0} is 'imagenet', but must be one of fashion-mnist, mnist, cifar10, moons or circles" },
        { """{ "dataset": "moons", "batch": 0 }""", "\"batch\" in {0} is 0, but must be at least 1" },
        { """[1, 2]""", "config file {0} must hold a JSON object" },
        { """{ "dataset": "moons", """, "config file {0} is not valid JSON" },
        { """{ "dataset": "moons", "dataset": "circles" }""", "config file {0} cannot be read" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void BadConfigFilesNameTheFileTheKeyAndTheValue(string json, string message)
    {
        using var cli = new CliHarness();
        string file = Path.Combine(cli.Root, "cfg.json");
        File.WriteAllText(file, json);
        string output = Path.Combine(cli.Root, "runs");
        var (code, stdout, err) = cli.Run("train", "--config", file, "--out", output);
        Assert.Equal(2, code);
        Assert.Contains(string.Format(message, file), err);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void AnOptionTypedOnTheCommandLineIsNamedAsTypedEvenWithAConfigFile()
    {
        using var cli = new CliHarness();
        string file = Path.Combine(cli.Root, "cfg.json");
        File.WriteAllText(file, """{ "dataset": "moons", "lr": 0.1 }""");
        var (code, _, err) = cli.Run("train", "--config", file, "--lr", "0", "--out", cli.Root);
        Assert.Equal(2, code);
        Assert.Contains("--lr is 0, but must be a finite number greater than 0", err);
    }

    [Fact]
    public void SearchAndLabOptionsAreCheckedToo()
    {
        using var cli = new CliHarness();
        var (code, _, err) = cli.Run("search", "--dataset", "moons", "--rounds", "0", "--out", cli.Root);
        Assert.Equal(2, code);
        Assert.Contains("--rounds is 0, but must be at least 1", err);
        (code, _, err) = cli.Run("search", "--dataset", "moons", "--rounds", "3", "--trials", "2", "--out", cli.Root);
        Assert.Equal(2, code);
        Assert.Contains("--trials is 2, but must be at least --rounds (3)", err);
        (code, _, err) = cli.Run("lab", "run", "perceptron", "--seed", "x", "--out", cli.Root);
        Assert.Equal(2, code);
        Assert.Contains("--seed expects a whole number, got 'x'", err);
        Assert.Contains("Run 'dendrite lab run --help'", err);
        Assert.Empty(Directory.GetFileSystemEntries(cli.Root));
    }

    [Fact]
    public void ATextOptionWithAValidatorIsOneLineAndRefusesBadValuesAtParseTime()
    {
        var device = Dendrite.Cli.Commands.CliOptions.Text("--device", "Where to train", d => d is "auto" or "cpu", "auto or cpu");
        var cmd = new System.CommandLine.Command("train") { device };
        Assert.Equal("cpu", cmd.Parse(["--device", "cpu"]).GetValue(device));
        var bad = cmd.Parse(["--device", "gpu"]);
        Assert.Equal("--device is 'gpu', but must be auto or cpu", Assert.Single(bad.Errors).Message);
    }

    [Fact]
    public void AnOutFolderThatIsAFileIsRefusedBeforeAnythingRuns()
    {
        using var cli = new CliHarness();
        string file = Path.Combine(cli.Root, "file");
        File.WriteAllText(file, "x");
        foreach (var args in new[] { new[] { "lab", "run", "perceptron", "--out", file }, ["train", "--dataset", "moons", "--out", file],
                     ["search", "--dataset", "moons", "--out", Path.Combine(file, "sub")] })
        {
            var (code, stdout, err) = cli.Run(args);
            Assert.Equal(2, code);
            Assert.Contains("is a file", err);
            Assert.Equal("", stdout); // not even the experiment's heading
        }
    }

    [Fact]
    public void NoCommandShowsTheCommandsAndUnknownOnesAreUsageErrors()
    {
        using var cli = new CliHarness();
        var (code, stdout, _) = cli.Run();
        Assert.Equal(2, code);
        Assert.Contains("train", stdout);
        Assert.Contains("lab", stdout);
        string err;
        (code, _, err) = cli.Run("train", "--lrr", "3");
        Assert.Equal(2, code);
        Assert.Contains("Unrecognized command or argument '--lrr'", err);
        Assert.Contains("Run 'dendrite train --help' for the options.", err);
    }

    [Fact]
    public void LimitsApplyToEveryDataSet()
    {
        using var cli = new CliHarness();
        var (code, output, _) = cli.Run("train", "--dataset", "moons", "--epochs", "1", "--train-limit", "100", "--test-limit", "50", "--out", cli.Root, "--json");
        Assert.Equal(0, code);
        string run = JsonNode.Parse(output)!["runDir"]!.GetValue<string>();
        (code, output, _) = cli.Run("eval", "--checkpoint", Path.Combine(run, "best.safetensors"), "--test-limit", "30", "--json");
        Assert.Equal(0, code);
        Assert.Equal(30, JsonNode.Parse(output)!["samples"]!.GetValue<int>());
        (code, output, _) = cli.Run("eval", "--checkpoint", Path.Combine(run, "best.safetensors"), "--json");
        Assert.Equal(50, JsonNode.Parse(output)!["samples"]!.GetValue<int>());
    }
}

using System.Text.Json.Nodes;
using Dendrite.IO;

namespace Dendrite.Tests.Cli;

// What a file holds never gives a stack trace: the error names the file and the problem (--verbose adds the trace).
public sealed class CliFileErrorTests
{
    private static string Train(CliHarness cli)
    {
        var (code, output, _) = cli.Run("train", "--dataset", "moons", "--epochs", "2", "--out", cli.Root, "--json");
        Assert.Equal(0, code);
        return JsonNode.Parse(output)!["runDir"]!.GetValue<string>();
    }

    private static void AssertCleanError(int code, string err, string mustName)
    {
        Assert.Equal(2, code);
        Assert.Contains(mustName, err);
        Assert.DoesNotContain("Unhandled exception", err);
        Assert.DoesNotContain("   at ", err);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void CorruptOrMismatchedFilesAreOneLineNamingTheFile()
    {
        using var cli = new CliHarness();
        string run = Train(cli);
        string best = Path.Combine(run, "best.safetensors");
        string cut = Path.Combine(cli.Root, "cut.safetensors");
        File.WriteAllBytes(cut, File.ReadAllBytes(best)[..100]);

        var (code, _, err) = cli.Run("eval", "--checkpoint", cut, "--config", Path.Combine(run, "config.json"));
        AssertCleanError(code, err, cut);
        Assert.Contains("truncated", err);

        (code, _, err) = cli.Run("eval", "--checkpoint", best, "--dataset", "fashion-mnist");
        AssertCleanError(code, err, "--dataset fashion-mnist: the checkpoint's model");

        (code, _, err) = cli.Run("eval", "--checkpoint", "/nonexistent/x.safetensors");
        AssertCleanError(code, err, "--checkpoint: /nonexistent/x.safetensors does not exist");

        string settings = Path.Combine(cli.Root, "settings.json");
        File.WriteAllText(settings, """{ "settings": 5 }""");
        (code, _, err) = cli.Run("eval", "--checkpoint", best, "--config", settings);
        AssertCleanError(code, err, $"\"settings\" in {settings} is 5");

        string report = Path.Combine(run, "report.json");
        File.WriteAllText(report, """{ "title": "x", "blocks": 5 }""");
        (code, _, err) = cli.Run("report", run);
        AssertCleanError(code, err, report);
        Assert.Contains("the value at $.blocks", err);

        File.WriteAllText(report, "{ not json");
        (code, _, err) = cli.Run("report", run);
        AssertCleanError(code, err, report);

        (code, _, err) = cli.Run("compare", run, Path.Combine(cli.Root, "missing-run"));
        AssertCleanError(code, err, "missing-run");
    }

    [Fact]
    public void ModelWeightsOfAnotherArchitectureAreNamedInShort()
    {
        using var cli = new CliHarness();
        string run = Train(cli);
        var tensors = new Dictionary<string, Tensor>();
        var empty = Tensor.Zeros(0);
        for (int i = 0; i < 200_000; i++)
            tensors[$"stray{i}"] = empty;
        string file = Path.Combine(cli.Root, "stray.safetensors");
        SafeTensors.Save(file, tensors);
        var (code, _, err) = cli.Run("eval", "--checkpoint", file, "--config", Path.Combine(run, "config.json"));
        AssertCleanError(code, err, file);
        Assert.Contains("and 199995 more", err);
        Assert.True(err.Length < 1000, $"{err.Length} characters");
    }

    [Fact]
    public void VerboseAddsTheStackTrace()
    {
        using var cli = new CliHarness();
        string cut = Path.Combine(cli.Root, "cut.safetensors");
        File.WriteAllBytes(cut, [1, 2, 3]);
        string config = Path.Combine(cli.Root, "config.json");
        File.WriteAllText(config, """{ "settings": { "dataset": "moons" } }""");
        var (code, _, err) = cli.Run("eval", "--checkpoint", cut, "--config", config, "--verbose");
        Assert.Equal(2, code);
        Assert.Contains("   at ", err);
        Assert.Contains("SafeTensorsFormatException", err);
    }
}

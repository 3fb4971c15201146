using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dendrite.Cli.Commands;
using Dendrite.Cli.Ui;

namespace Dendrite.Tests.Cli;

public sealed class LabRunTests
{
    [Fact]
    public void QuickRunOfTwoExperimentsWritesCompleteRunFoldersAndJson()
    {
        using var cli = new CliHarness();
        var (code, output, _) = cli.Run("lab", "run", "perceptron", "linear-regression", "--quick", "--seed", "7", "--out", cli.Root, "--json");
        Assert.Equal(0, code);
        var result = JsonNode.Parse(output)!;
        Assert.Equal(0, result["failed"]!.GetValue<int>());
        var experiments = result["experiments"]!.AsArray();
        Assert.Equal(["perceptron", "linear-regression"], experiments.Select(e => e!["name"]!.GetValue<string>()));
        foreach (var e in experiments)
        {
            Assert.Equal("ok", e!["status"]!.GetValue<string>());
            string dir = e["runDir"]!.GetValue<string>();
            Assert.Matches(@"-\d{8}-\d{6}", Path.GetFileName(dir));
            foreach (var f in new[] { "config.json", "history.csv", "metrics.json", "report.html", "report.json" })
                Assert.True(File.Exists(Path.Combine(dir, f)), $"{f} missing in {dir}");
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!;
            Assert.Equal(7, config["seed"]!.GetValue<int>());
            string hash = config["configHash"]!.GetValue<string>();
            Assert.Matches("^[0-9a-f]{12}$", hash);
            Assert.Equal(hash, e["configHash"]!.GetValue<string>());
            var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!;
            Assert.Equal("ok", metrics["status"]!.GetValue<string>());
        }
        var perceptron = experiments[0]!["metrics"]!;
        Assert.Equal(1.0, perceptron["w0"]!.GetValue<double>(), 9);
        Assert.Equal(1.2, perceptron["w1"]!.GetValue<double>(), 9);
        Assert.Equal(-0.6, perceptron["w2"]!.GetValue<double>(), 9);
        var history = File.ReadAllLines(Path.Combine(experiments[1]!["runDir"]!.GetValue<string>(), "history.csv"));
        Assert.Equal("series,epoch,train_loss", history[0]);
        Assert.Equal(7, history.Length); // 3 epochs from scratch + 3 concise
    }

    [Fact]
    public void SameSeedGivesSameConfigHashAndResults()
    {
        using var cli = new CliHarness();
        var a = JsonNode.Parse(cli.Run("lab", "run", "linear-regression", "--out", cli.Root, "--json").Out)!["experiments"]![0]!;
        var b = JsonNode.Parse(cli.Run("lab", "run", "linear-regression", "--out", cli.Root, "--json").Out)!["experiments"]![0]!;
        Assert.Equal(a["configHash"]!.GetValue<string>(), b["configHash"]!.GetValue<string>());
        Assert.NotEqual(a["runDir"]!.GetValue<string>(), b["runDir"]!.GetValue<string>());
        Assert.Equal(a["metrics"]!["scratch_w1"]!.GetValue<double>(), b["metrics"]!["scratch_w1"]!.GetValue<double>());
    }

    [Fact]
    public void MissingFashionMnistSkipsThoseExperimentsWithoutFailing()
    {
        using var cli = new CliHarness();
        var stdout = new StringWriter();
        var ui = ConsoleUi.Plain(OutputMode.Json, stdout, new StringWriter());
        int code = LabCommand.RunMany(ui, ["mlp", "perceptron"], quick: true, seed: 1, cli.Root, fashionMnistRoot: Path.Combine(cli.Root, "absent"));
        Assert.Equal(0, code);
        var result = JsonNode.Parse(stdout.ToString())!;
        Assert.Equal(1, result["skipped"]!.GetValue<int>());
        var mlp = result["experiments"]![0]!;
        Assert.Equal("skipped", mlp["status"]!.GetValue<string>());
        Assert.Contains("apt-get install dataset-fashion-mnist", mlp["message"]!.GetValue<string>());
        Assert.Equal("ok", result["experiments"]![1]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void ReportCommandRebuildsTheReportAndCompareOverlaysRuns()
    {
        using var cli = new CliHarness();
        var run = JsonNode.Parse(cli.Run("lab", "run", "linear-regression", "--quick", "--out", cli.Root, "--json").Out)!["experiments"]![0]!["runDir"]!.GetValue<string>();
        string report = Path.Combine(run, "report.html");
        string original = File.ReadAllText(report);
        File.Delete(report);
        Assert.Equal(0, cli.Run("report", run).Code);
        string rebuilt = File.ReadAllText(report);
        Assert.Equal(Regex.Replace(original, @"\s+", " "), Regex.Replace(rebuilt, @"\s+", " "));

        string page = Path.Combine(cli.Root, "cmp.html");
        Assert.Equal(0, cli.Run("compare", run, run, "-o", page).Code);
        string html = File.ReadAllText(page);
        Assert.Contains("Comparison of 2 runs", html);
        Assert.Contains("<svg", html);
        ReportHtmlAssert.SvgPartsAreWellFormed(html);
    }
}

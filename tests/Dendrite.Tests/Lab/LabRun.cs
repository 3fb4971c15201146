using System.Text.Json.Nodes;
using Dendrite.Tests.Cli;

namespace Dendrite.Tests.Lab;

/// <summary>One quick lab experiment run through the command line: its outcome, metrics, checks and report page.</summary>
internal sealed class LabRun : IDisposable
{
    private readonly CliHarness _cli = new();

    public LabRun(string experiment, params string[] extra)
    {
        var (code, output, err) = _cli.Run(["lab", "run", experiment, "--quick", "--out", _cli.Root, "--json", .. extra]);
        Outcome = JsonNode.Parse(output)!["experiments"]![0]!.AsObject();
        Assert.True(code == 0, $"{experiment} exited with {code}: {Outcome["message"]} {err}");
        Assert.Equal("ok", Outcome["status"]!.GetValue<string>());
        RunDir = Outcome["runDir"]!.GetValue<string>();
        Metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(RunDir, "metrics.json")))!.AsObject();
        Html = File.ReadAllText(Path.Combine(RunDir, "report.html"));
        ReportHtmlAssert.SvgPartsAreWellFormed(Html);
    }

    public JsonObject Outcome { get; }

    public string RunDir { get; }

    /// <summary>metrics.json: status, metrics, checks.</summary>
    public JsonObject Metrics { get; }

    /// <summary>The rendered report.html.</summary>
    public string Html { get; }

    /// <summary>A recorded metric.</summary>
    public double Metric(string name)
    {
        var value = Metrics["metrics"]![name] ?? throw new KeyNotFoundException($"metric {name} was not recorded");
        // metrics.json holds non-finite numbers as the strings "Infinity", "-Infinity" and "NaN".
        return value.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? double.Parse(value.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            : value.GetValue<double>();
    }

    /// <summary>The hard check whose name starts with <paramref name="prefix"/>; it must have passed.</summary>
    public string PassedCheck(string prefix)
    {
        var check = Metrics["checks"]!.AsArray().Select(c => c!.AsObject())
            .Single(c => c["name"]!.GetValue<string>().StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(check["passed"]!.GetValue<bool>(), $"{check["name"]}: {check["detail"]}");
        Assert.True(check["hard"]!.GetValue<bool>());
        return check["detail"]!.GetValue<string>();
    }

    public void Dispose() => _cli.Dispose();
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using Dendrite.Cli.Reports;
using Dendrite.Cli.Runs;
using Dendrite.Cli.Ui;

namespace Dendrite.Cli.Lab;

/// <summary>The result of running one experiment.</summary>
public sealed record ExperimentOutcome(string Name, string Status, double Seconds, string? RunDir, string? ConfigHash, JsonObject Metrics, string? Message)
{
    /// <summary>Machine-readable form for --json.</summary>
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["status"] = Status,
        ["seconds"] = Math.Round(Seconds, 3),
        ["runDir"] = RunDir,
        ["configHash"] = ConfigHash,
        ["metrics"] = Metrics.DeepClone(),
        ["message"] = Message,
    };
}

/// <summary>Runs experiments into run folders and writes their metrics, history and report.</summary>
public static class ExperimentRunner
{
    /// <summary>Status words.</summary>
    public const string Ok = "ok", Failed = "failed", Skipped = "skipped", Cancelled = "cancelled";

    /// <summary>
    /// Runs one experiment; never throws for a failure inside the experiment. An experiment that ends with an
    /// <see cref="OperationCanceledException"/> (Ctrl+C) is <see cref="Cancelled"/>, with the exception's message.
    /// The run goes into a new folder under <paramref name="outRoot"/> (where a failure is recorded too), or continues
    /// <paramref name="existing"/> (a resumed run): that folder only receives what a successful or cancelled run
    /// produced, through a stage committed at the end, so a failure leaves every earlier file byte-identical and a
    /// user error (a corrupt checkpoint) is rethrown for the command to report. <paramref name="printTable"/> prints
    /// the run's metrics table (commands that print their own summary turn it off).
    /// </summary>
    public static ExperimentOutcome Run(IExperiment experiment, bool quick, int seed, string outRoot, IConsoleUi ui, string? fashionMnistDir,
        RunFolder? existing = null, bool printTable = true, Device? device = null)
    {
        ui.Heading($"{experiment.Name}: {experiment.Title}{(quick ? " (quick)" : "")}");
        if (experiment.NeedsFashionMnist && fashionMnistDir is null)
        {
            string why = LabData.MissingFashionMnist();
            ui.Line($"skipped: {why}", Tone.Warning);
            return new ExperimentOutcome(experiment.Name, Skipped, 0, null, null, [], why);
        }

        var run = existing ?? RunFolder.Create(outRoot, experiment.Name, DateTime.Now);
        using var stage = existing?.Stage();
        var ctx = new ExperimentContext(experiment, quick, seed, run, ui, fashionMnistDir) { Device = device ?? Device.Cpu };
        var sw = Stopwatch.StartNew();
        string status = Ok;
        string? message = null;
        try
        {
            Tensor.ManualSeed((ulong)seed);
            experiment.Run(ctx);
            var failed = ctx.Checks.Where(c => c.Hard && !c.Passed).Select(c => c.Name).ToList();
            if (failed.Count > 0) { status = Failed; message = "failed checks: " + string.Join(", ", failed); }
        }
        catch (OperationCanceledException e)
        {
            status = Cancelled;
            message = e.Message;
            ui.Line(message, Tone.Warning);
        }
        catch (Exception e) when (existing is not null && Commands.CliApp.IsUserError(e))
        {
            throw; // the stage is dropped: the run folder is as it was
        }
        catch (Exception e)
        {
            status = Failed;
            message = $"{e.GetType().Name}: {e.Message}";
            ui.Error($"{experiment.Name} failed: {message}");
            if (ui.Verbose)
                ui.Line(e.ToString(), Tone.Detail);
        }
        sw.Stop();
        if (existing is not null && status == Failed)
        {
            message += $" (nothing in {run.Path} was changed)";
            return new ExperimentOutcome(experiment.Name, status, sw.Elapsed.TotalSeconds, run.Path, ctx.ConfigHash, ctx.Metrics, message);
        }
        if (ctx.ConfigHash.Length == 0) ctx.UseConfig(new { });

        var metrics = new JsonObject
        {
            ["experiment"] = experiment.Name,
            ["status"] = status,
            ["seed"] = seed,
            ["quick"] = quick,
            ["configHash"] = ctx.ConfigHash,
            ["wallSeconds"] = Math.Round(sw.Elapsed.TotalSeconds, 3),
            ["metrics"] = ctx.Metrics.DeepClone(),
            ["checks"] = new JsonArray(ctx.Checks.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name, ["passed"] = c.Passed, ["hard"] = c.Hard, ["detail"] = c.Detail,
            }).ToArray()),
        };
        if (message is not null) metrics["error"] = message;
        run.WriteMetrics(metrics);
        run.WriteHistory(ctx.History);
        AddExportSection(ctx, run);
        HtmlReport.Write(run, ctx.Report);
        stage?.Commit();

        if (printTable)
        {
            var table = new TableData($"{experiment.Name}: {status} in {sw.Elapsed.TotalSeconds:F1}s", "metric", "value");
            foreach (var kv in ctx.Metrics) table.Add(kv.Key, HtmlReport.Scalar(kv.Value));
            ui.Table(table);
        }
        ui.Line($"report: {run.File(RunFolder.ReportFile)}", Tone.Detail);
        return new ExperimentOutcome(experiment.Name, status, sw.Elapsed.TotalSeconds, run.Path, ctx.ConfigHash, ctx.Metrics, message);
    }

    // The report's last section: how to turn each exportable checkpoint the run wrote into an ONNX model.
    private static void AddExportSection(ExperimentContext ctx, RunFolder run)
    {
        var written = ctx.ExportableCheckpoints.Where(f => File.Exists(run.WritePath(f)) || File.Exists(run.File(f))).Distinct().ToList();
        if (written.Count == 0)
            return;
        ctx.Report.Heading("Deploying with ONNX")
            .Text($"Export the trained model to an ONNX file, to run it with ONNX Runtime (Microsoft.ML.OnnxRuntime) from C# or any other ONNX tool " +
                  $"(README: \"Deploying with ONNX\"):")
            .Text(string.Join("\n", written.Select(f => $"dendrite export --checkpoint {Quote(run.File(f))} -o {Quote(run.File(Path.ChangeExtension(f, ".onnx")))}")), mono: true);
    }

    private static string Quote(string path) => path.Contains(' ') ? $"\"{path}\"" : path;
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using Dendrite.Cli.Reports;
using Dendrite.Cli.Runs;
using Dendrite.Cli.Ui;

namespace Dendrite.Cli.Lab;

/// <summary>A named pass/fail check of a run; failed hard checks fail the experiment.</summary>
public sealed record CheckResult(string Name, bool Passed, string Detail, bool Hard);

/// <summary>Everything an experiment needs: settings, its run folder, the console, and collectors for results.</summary>
public sealed class ExperimentContext(IExperiment experiment, bool quick, int seed, RunFolder run, IConsoleUi ui, string? fashionMnistDir)
{
    /// <summary>The experiment being run.</summary>
    public IExperiment Experiment { get; } = experiment;

    /// <summary>Whether to run the reduced (CI smoke test) version.</summary>
    public bool Quick { get; } = quick;

    /// <summary>The base random seed.</summary>
    public int Seed { get; } = seed;

    /// <summary>The run folder the experiment writes into.</summary>
    public RunFolder Run { get; } = run;

    /// <summary>The console.</summary>
    public IConsoleUi Ui { get; } = ui;

    /// <summary>The Fashion-MNIST folder, or null when it is not installed.</summary>
    public string? FashionMnistDir { get; } = fashionMnistDir;

    /// <summary>
    /// The device models are trained on (<c>--device</c>; the CPU by default): <see cref="Common.LabTrainer"/> moves each
    /// model there, and experiments that build their own tensors create them there.
    /// </summary>
    public Device Device { get; set; } = Device.Cpu;

    /// <summary>The report page content.</summary>
    public ReportDocument Report { get; } = new() { Title = experiment.Title, Description = experiment.Description };

    /// <summary>Per-epoch curves (history.csv).</summary>
    public RunHistory History { get; } = new();

    /// <summary>Key numbers (metrics.json "metrics").</summary>
    public JsonObject Metrics { get; } = [];

    /// <summary>Checks recorded so far.</summary>
    public List<CheckResult> Checks { get; } = [];

    /// <summary>
    /// Checkpoints of the run (file names in its folder) that <c>dendrite export</c> can turn into ONNX models: the
    /// report ends with the command for each.
    /// </summary>
    public List<string> ExportableCheckpoints { get; } = [];

    /// <summary>The hash of the config passed to <see cref="UseConfig{T}"/>.</summary>
    public string ConfigHash { get; private set; } = "";

    /// <summary>Records the experiment's settings in config.json (with the seed and a config hash) and returns them.</summary>
    public T UseConfig<T>(T settings)
    {
        var config = new JsonObject
        {
            ["experiment"] = Experiment.Name,
            ["seed"] = Seed,
            ["quick"] = Quick,
            ["device"] = Device.ToString(),
            ["settings"] = Json.ToNode(settings),
        };
        ConfigHash = Run.WriteConfig(config);
        return settings;
    }

    /// <summary>A generator for one independent random stream of this run.</summary>
    public Generator Rng(int stream = 0) => new((ulong)Seed * 1_000_003UL + (ulong)stream);

    /// <summary>Writes a log line.</summary>
    public void Log(string text, Tone tone = Tone.Normal) => Ui.Line(text, tone);

    /// <summary>Records a key number.</summary>
    public void Metric(string name, double value) =>
        Metrics[name] = double.IsFinite(value)
            ? double.Parse(value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)
            : JsonValue.Create(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Records a key text value.</summary>
    public void Metric(string name, string value) => Metrics[name] = value;

    /// <summary>A check that must hold (the experiment fails otherwise): exact numbers a lesson is built on.</summary>
    public void Expect(string name, bool passed, string detail)
    {
        Checks.Add(new CheckResult(name, passed, detail, Hard: true));
        Ui.Line($"  {(passed ? "ok  " : "FAIL")} {name}: {detail}", passed ? Tone.Good : Tone.Error);
    }

    /// <summary>A target that is reported but does not fail the run (e.g. an accuracy goal of the full run).</summary>
    public void Target(string name, bool passed, string detail)
    {
        Checks.Add(new CheckResult(name, passed, detail, Hard: false));
        Ui.Line($"  {(passed ? "met " : "miss")} {name}: {detail}", passed ? Tone.Good : Tone.Warning);
    }

    /// <summary>A target of the full-size run (accuracy goals): checked as <see cref="Target"/> in full mode, only logged in quick mode.</summary>
    public void FullTarget(string name, bool passed, string detail)
    {
        if (Quick) Ui.Line($"  (quick mode) {name}: {detail}; this target applies to full runs", Tone.Detail);
        else Target(name, passed, detail);
    }

    /// <summary>Runs a body under a live progress display.</summary>
    public void Progress(Action<IProgressScope> body) => Ui.Progress(body);

    /// <summary>Times an action and returns the seconds it took.</summary>
    public static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Dendrite.IO;

namespace Dendrite.Training;

/// <summary>Loss and metric values per epoch (and per step when asked) of a training run, exportable to CSV and JSON.</summary>
public sealed class History
{
    private readonly List<EpochRecord> _epochs = [];
    private readonly List<StepRecord> _steps = [];
    private readonly List<string> _warnings = [];

    /// <summary>One record per completed epoch.</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>One record per training step (empty unless step recording is on).</summary>
    public IReadOnlyList<StepRecord> Steps => _steps;

    /// <summary>Warnings raised while training (for example optimizer parameters that are not the model's).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Why training ended before the requested epochs (early stopping, a non-finite loss, cancellation), or null.</summary>
    public string? StopReason { get; internal set; }

    /// <summary>The kind of early end that <see cref="StopReason"/> describes (<see cref="StopCause.None"/> when every epoch ran).</summary>
    public StopCause StopCause { get; internal set; }

    /// <summary>True when training ended because the loss stopped being finite.</summary>
    public bool Diverged => StopCause == StopCause.NonFiniteLoss;

    /// <summary>The values named <paramref name="key"/>, one per epoch that recorded it.</summary>
    public double[] Series(string key) => [.. _epochs.Where(e => e.Values.ContainsKey(key)).Select(e => e.Values[key])];

    /// <summary>The last recorded value named <paramref name="key"/>, or null.</summary>
    public double? Last(string key)
    {
        for (int i = _epochs.Count - 1; i >= 0; i--)
            if (_epochs[i].Values.TryGetValue(key, out double v))
                return v;
        return null;
    }

    internal void Add(EpochRecord record) => _epochs.Add(record);

    internal void Add(StepRecord record) => _steps.Add(record);

    internal void Warn(string warning) => _warnings.Add(warning);

    /// <summary>All value names in first-seen order.</summary>
    public IReadOnlyList<string> Keys()
    {
        var keys = new List<string>();
        foreach (var e in _epochs)
            foreach (var k in e.Values.Keys)
                if (!keys.Contains(k))
                    keys.Add(k);
        return keys;
    }

    /// <summary>Comma-separated values: a header <c>epoch,&lt;keys&gt;...,seconds</c> and one row per epoch (invariant culture; empty cells where absent).</summary>
    public string ToCsv()
    {
        var keys = Keys();
        var sb = new StringBuilder("epoch");
        foreach (var k in keys)
            sb.Append(',').Append(k);
        sb.Append(",seconds\n");
        foreach (var e in _epochs)
        {
            sb.Append(e.Epoch.ToString(CultureInfo.InvariantCulture));
            foreach (var k in keys)
            {
                sb.Append(',');
                if (e.Values.TryGetValue(k, out double v))
                    sb.Append(v.ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append(',').Append(e.Seconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The history as JSON: <c>{"epochs": [{"epoch", "seconds", "values": {...}}], "steps": [...], "stop_reason", "stop_cause", "warnings"}</c> (non-finite values as null).</summary>
    public string ToJson() => ToJsonNode().ToJsonString();

    internal JsonObject ToJsonNode()
    {
        var epochs = new JsonArray();
        foreach (var e in _epochs)
        {
            var values = new JsonObject();
            foreach (var (k, v) in e.Values)
                values[k] = Num(v);
            var epoch = new JsonObject { ["epoch"] = e.Epoch, ["seconds"] = Num(e.Seconds), ["values"] = values };
            if (!e.Evaluated)
                epoch["evaluated"] = false;
            epochs.Add(epoch);
        }
        var steps = new JsonArray();
        foreach (var s in _steps)
            steps.Add(new JsonObject { ["epoch"] = s.Epoch, ["step"] = s.Step, ["global_step"] = s.GlobalStep, ["loss"] = Num(s.Loss), ["lr"] = Num(s.Lr) });
        return new JsonObject
        {
            ["epochs"] = epochs,
            ["steps"] = steps,
            ["stop_reason"] = StopReason,
            ["stop_cause"] = StopCause.ToString(),
            ["warnings"] = new JsonArray([.. _warnings.Select(w => (JsonNode?)w)]),
        };
    }

    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static double Val(JsonNode? n) => n is null ? double.NaN : n.GetValue<double>();

    /// <summary>Reads a history written by <see cref="ToJson"/>.</summary>
    public static History FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("History.FromJson: expected a JSON object.");
        var h = new History { StopReason = root["stop_reason"]?.GetValue<string>() };
        if (root["stop_cause"]?.GetValue<string>() is { } cause)
            h.StopCause = Enum.TryParse<StopCause>(cause, out var c) ? c
                : throw new FormatException($"History.FromJson: unknown stop_cause '{cause}'; expected one of {string.Join(", ", Enum.GetNames<StopCause>())}.");
        foreach (var e in root["epochs"]?.AsArray() ?? [])
        {
            var values = new Dictionary<string, double>();
            foreach (var (k, v) in e!["values"]!.AsObject())
                values[k] = Val(v);
            h._epochs.Add(new EpochRecord(e["epoch"]!.GetValue<int>(), values, Val(e["seconds"]), e["evaluated"]?.GetValue<bool>() ?? true));
        }
        foreach (var s in root["steps"]?.AsArray() ?? [])
            h._steps.Add(new StepRecord(s!["epoch"]!.GetValue<int>(), s["step"]!.GetValue<int>(), s["global_step"]!.GetValue<long>(), Val(s["loss"]), Val(s["lr"])));
        foreach (var w in root["warnings"]?.AsArray() ?? [])
            h._warnings.Add(w!.GetValue<string>());
        return h;
    }

    /// <summary>Writes <see cref="ToCsv"/> to <paramref name="path"/> atomically.</summary>
    public void SaveCsv(string path) => AtomicFile.WriteAllText(path, ToCsv());

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> atomically.</summary>
    public void SaveJson(string path) => AtomicFile.WriteAllText(path, ToJson());
}

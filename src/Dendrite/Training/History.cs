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

    /// <summary>
    /// The history as JSON: <c>{"epochs": [{"epoch", "seconds", "values": {...}}], "steps": [...], "stop_reason",
    /// "stop_cause", "warnings"}</c>. Numbers round-trip exactly; non-finite values are the strings "NaN",
    /// "Infinity" and "-Infinity".
    /// </summary>
    public string ToJson() => ToJsonNode(includeRecords: true).ToJsonString();

    // Without the records, what a checkpoint keeps beside its history journal.
    internal JsonObject ToJsonNode(bool includeRecords)
    {
        var root = new JsonObject();
        if (includeRecords)
        {
            root["epochs"] = new JsonArray([.. _epochs.Select(e => (JsonNode)HistoryJson.Epoch(e))]);
            root["steps"] = new JsonArray([.. _steps.Select(s => (JsonNode)HistoryJson.Step(s))]);
        }
        root["stop_reason"] = StopReason;
        root["stop_cause"] = StopCause.ToString();
        root["warnings"] = new JsonArray([.. _warnings.Select(w => (JsonNode?)w)]);
        return root;
    }

    /// <summary>
    /// Reads a history written by <see cref="ToJson"/>; malformed input is a <see cref="FormatException"/> saying
    /// which entry is wrong.
    /// </summary>
    public static History FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException($"History.FromJson: not valid JSON: {IO.ErrorText.Json(e)}.", e);
        }
        var o = root as JsonObject ?? throw new FormatException("History.FromJson: expected a JSON object.");
        try
        {
            var epochs = HistoryJson.ReadArray(o["epochs"] ?? new JsonArray(), "epochs").Select((e, i) => HistoryJson.ReadEpoch(e, $"epochs[{i}]"));
            var steps = HistoryJson.ReadArray(o["steps"] ?? new JsonArray(), "steps").Select((s, i) => HistoryJson.ReadStep(s, $"steps[{i}]"));
            return FromParts(o, epochs, steps);
        }
        catch (InvalidOperationException e) // a key that unescapes to invalid UTF-16
        {
            throw new FormatException($"History.FromJson: the JSON holds text that is not valid ({e.Message}).", e);
        }
    }

    // The stop and warnings of a history object, with its records given separately (inline or from a journal).
    internal static History FromParts(JsonObject root, IEnumerable<EpochRecord> epochs, IEnumerable<StepRecord> steps)
    {
        var h = new History { StopReason = HistoryJson.ReadString(root["stop_reason"], "stop_reason") };
        if (HistoryJson.ReadString(root["stop_cause"], "stop_cause") is { } cause)
            h.StopCause = Enum.TryParse<StopCause>(cause, out var c) && Enum.IsDefined(c) && !int.TryParse(cause, out _) ? c
                : throw new FormatException($"History.FromJson: unknown stop_cause '{(cause.Length <= 40 ? cause : cause[..40] + "…")}'; expected one of {string.Join(", ", Enum.GetNames<StopCause>())}.");
        h._epochs.AddRange(epochs);
        h._steps.AddRange(steps);
        foreach (var (w, i) in HistoryJson.ReadArray(root["warnings"] ?? new JsonArray(), "warnings").Select((w, i) => (w, i)))
            h._warnings.Add(HistoryJson.ReadString(w, $"warnings[{i}]") ?? throw new FormatException($"warnings[{i}] must be a string, found nothing."));
        return h;
    }

    /// <summary>Writes <see cref="ToCsv"/> to <paramref name="path"/> atomically.</summary>
    public void SaveCsv(string path) => AtomicFile.WriteAllText(path, ToCsv());

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> atomically.</summary>
    public void SaveJson(string path) => AtomicFile.WriteAllText(path, ToJson());
}

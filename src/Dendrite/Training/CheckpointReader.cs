using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dendrite.IO;
using Dendrite.Optim;
using Dendrite.Training.Metrics;

namespace Dendrite.Training;

/// <summary>Everything a training checkpoint holds, parsed and checked against the trainer it is meant for.</summary>
internal sealed record CheckpointContent(
    Dictionary<string, Tensor> Model, OptimizerStateDict Optimizer, JsonObject? Scheduler, JsonObject? Plateau,
    JsonNode?[] CallbackStates, Dictionary<string, Tensor>[] CallbackTensors, JsonNode?[] MetricStates,
    History History, HistoryJournal? Journal, int EpochsCompleted, long GlobalStep,
    (ulong Seed, ulong Counter)[] Generators, (ulong Seed, ulong Counter)? Loader, Trainer.PartialEpoch? Partial);

/// <summary>
/// Reads a training checkpoint whole before anything is loaded: every metadata entry is parsed and checked (types,
/// ranges, counts, consistency with the trainer's model, metrics, callbacks and schedulers), and any problem is a
/// <see cref="CheckpointFormatException"/> naming the file and the key.
/// </summary>
internal static class CheckpointReader
{
    public static CheckpointContent Read(SafeTensorsFile file, string source, Trainer trainer)
    {
        var meta = file.Metadata;
        if (!meta.TryGetValue("format", out var format))
            throw Bad(source, "format", $"there is no 'format' entry in its metadata, so it is not a training checkpoint (model weights such as best.safetensors " +
                                        $"cannot be resumed; a training checkpoint has format '{Trainer.CheckpointFormat}').");
        if (format != Trainer.CheckpointFormat)
            throw Bad(source, "format", $"'{ErrorText.Quote(format)}' is not a training checkpoint format (expected '{Trainer.CheckpointFormat}').");

        var t = Object(meta, "trainer", source);
        int epochsCompleted = At(source, "trainer.epochs_completed", () => HistoryJson.ReadInt(t["epochs_completed"], "it"));
        long globalStep = At(source, "trainer.global_step", () => HistoryJson.ReadLong(t["global_step"], "it"));
        var generators = At(source, "trainer.generators", () => HistoryJson.ReadArray(t["generators"], "it").Select((g, i) => State(g, $"entry {i}")).ToArray());
        if (generators.Length != trainer.Generators.Count)
            throw Bad(source, "trainer.generators", $"it stores {generators.Length} generator states but this trainer tracks {trainer.Generators.Count}.");
        (ulong, ulong)? loader = t["loader_generator"] is null ? null : At(source, "trainer.loader_generator", () => State(t["loader_generator"], "it"));

        var metricStates = new JsonNode?[trainer.Metrics.Count];
        Trainer.PartialEpoch? partial = null;
        if (t["partial_epoch"] is not null)
        {
            var p = At(source, "trainer.partial_epoch", () => HistoryJson.ReadObject(t["partial_epoch"], "it"));
            if (loader is null)
                throw Bad(source, "trainer.loader_generator", "a checkpoint taken inside an epoch must store the train loader's generator state.");
            int steps = At(source, "trainer.partial_epoch.steps_done", () => HistoryJson.ReadInt(p["steps_done"], "it"));
            double lossSum = At(source, "trainer.partial_epoch.loss_sum", () => HistoryJson.ReadNum(p["loss_sum"], "it"));
            double? lr = p["lr"] is null ? null : At(source, "trainer.partial_epoch.lr", () => HistoryJson.ReadNum(p["lr"], "it"));
            if (!double.IsFinite(lossSum) || lr is { } l && !double.IsFinite(l))
                throw Bad(source, "trainer.partial_epoch", "loss_sum and lr must be finite numbers.");
            if (p["metrics"] is not null)
            {
                var saved = At(source, "trainer.partial_epoch.metrics", () => HistoryJson.ReadObject(p["metrics"], "it"));
                foreach (var (name, _) in saved)
                    if (!trainer.Metrics.Any(m => m.Name == name))
                        throw Bad(source, "trainer.partial_epoch.metrics", $"it holds a state for metric '{ErrorText.Quote(name)}', which this trainer does not compute.");
                for (int i = 0; i < trainer.Metrics.Count; i++)
                    metricStates[i] = saved[trainer.Metrics[i].Name]?.DeepClone();
            }
            partial = new Trainer.PartialEpoch(loader.Value, steps, lossSum, lr, metricStates);
        }

        var (history, journal) = ReadHistory(meta, source, epochsCompleted);

        var callbacks = Array(meta, "callbacks", source);
        if (callbacks.Count != trainer.Callbacks.Count)
            throw Bad(source, "callbacks", $"it stores {callbacks.Count} callbacks but this trainer has {trainer.Callbacks.Count}.");
        var callbackStates = new JsonNode?[callbacks.Count];
        var callbackTensors = new Dictionary<string, Tensor>[callbacks.Count];
        for (int i = 0; i < callbacks.Count; i++)
        {
            string key = $"callbacks[{i}]";
            var c = At(source, key, () => HistoryJson.ReadObject(callbacks[i], "it"));
            string? type = At(source, key + ".type", () => HistoryJson.ReadString(c["type"], "it"));
            string expected = trainer.Callbacks[i].GetType().Name;
            if (type != expected)
                throw Bad(source, key + ".type", $"the checkpoint's callback {i} is '{ErrorText.Quote(type ?? "missing")}' but this trainer's is '{expected}'.");
            callbackStates[i] = c["state"]?.DeepClone();
            callbackTensors[i] = Part(file, $"callback.{i.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (meta.ContainsKey("scheduler") != (trainer.Scheduler is not null))
            throw Bad(source, "scheduler", trainer.Scheduler is null ? "the checkpoint has a learning-rate scheduler but this trainer has none."
                : "this trainer has a learning-rate scheduler but the checkpoint has no state for it.");
        if (meta.ContainsKey("plateau") != (trainer.Plateau is not null))
            throw Bad(source, "plateau", trainer.Plateau is null ? "the checkpoint has a plateau scheduler but this trainer has none."
                : "this trainer has a plateau scheduler but the checkpoint has no state for it.");
        var scheduler = trainer.Scheduler is null ? null : Object(meta, "scheduler", source);
        var plateau = trainer.Plateau is null ? null : Object(meta, "plateau", source);
        var optimizer = new OptimizerStateDict(Object(meta, "optimizer", source), Part(file, "optimizer."));

        var model = Part(file, "model.");
        CheckModel(model, trainer, source);
        var unknown = file.Tensors.Keys.Where(k => !k.StartsWith("model.", StringComparison.Ordinal) && !k.StartsWith("optimizer.", StringComparison.Ordinal)
                                                   && !IsCallbackTensor(k, callbacks.Count)).ToList();
        if (unknown.Count > 0)
            throw Bad(source, "tensors", $"tensors {ErrorText.List(unknown)} belong to no part of a training checkpoint.");
        return new CheckpointContent(model, optimizer, scheduler, plateau, callbackStates, callbackTensors, metricStates, history, journal,
            epochsCompleted, globalStep, generators, loader, partial);
    }

    private static (History History, HistoryJournal? Journal) ReadHistory(IReadOnlyDictionary<string, string> meta, string source, int epochsCompleted)
    {
        var h = Object(meta, "history", source);
        HistoryJournal? journal = null;
        var history = At(source, "history", () =>
        {
            if (h["journal"] is null)
                return History.FromJson(h.ToJsonString());
            var (epochs, steps, j) = HistoryJournal.Read(source, HistoryJson.ReadObject(h["journal"], "journal"));
            journal = j;
            return History.FromParts(h, epochs, steps);
        });
        if (history.Epochs.Count != epochsCompleted)
            throw Bad(source, "history", $"it records {history.Epochs.Count} epochs but trainer.epochs_completed is {epochsCompleted}.");
        for (int i = 0; i < history.Epochs.Count; i++)
            if (history.Epochs[i].Epoch != i + 1)
                throw Bad(source, "history", $"epoch record {i} is numbered {history.Epochs[i].Epoch}; records must be numbered 1, 2, 3, ...");
        return (history, journal);
    }

    private static void CheckModel(Dictionary<string, Tensor> saved, Trainer trainer, string source)
    {
        var own = trainer.UnwrappedModel.StateDict();
        var missing = own.Keys.Where(k => !saved.ContainsKey(k)).Select(k => "model." + k).ToList();
        var unexpected = saved.Keys.Where(k => !own.ContainsKey(k)).Select(k => "model." + k).ToList();
        if (missing.Count > 0)
            throw Bad(source, "model", $"the model's {ErrorText.List(missing)} are missing from the checkpoint (it was written for another architecture).");
        if (unexpected.Count > 0)
            throw Bad(source, "model", $"the checkpoint's {ErrorText.List(unexpected)} are not in this model (it was written for another architecture).");
        foreach (var (key, target) in own)
        {
            var t = saved[key];
            if (!target.Shape.SequenceEqual(t.Shape))
                throw Bad(source, "model." + key, $"shape {ErrorText.Shape(t.Shape)} does not match the model's {ErrorText.Shape(target.Shape)}.");
            if (target.DType != t.DType)
                throw Bad(source, "model." + key, $"dtype {t.DType} does not match the model's {target.DType}.");
        }
    }

    private static bool IsCallbackTensor(string key, int callbacks)
    {
        if (!key.StartsWith("callback.", StringComparison.Ordinal))
            return false;
        int dot = key.IndexOf('.', "callback.".Length);
        return dot > 0 && int.TryParse(key.AsSpan("callback.".Length, dot - "callback.".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < callbacks;
    }

    public static Dictionary<string, Tensor> Part(SafeTensorsFile file, string prefix) =>
        file.Tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value, StringComparer.Ordinal);

    private static (ulong, ulong) State(JsonNode? n, string where)
    {
        var a = HistoryJson.ReadArray(n, where);
        if (a.Count != 2)
            throw new FormatException($"{where} must be [seed, counter], found {HistoryJson.Describe(n)}.");
        ulong Part(int i) => HistoryJson.ReadString(a[i], $"{where}[{i}]") is { } s && ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)
            ? v : throw new FormatException($"{where}[{i}] must be a decimal string of an unsigned 64-bit integer, found {HistoryJson.Describe(a[i])}.");
        return (Part(0), Part(1));
    }

    private static JsonNode Parse(IReadOnlyDictionary<string, string> meta, string key, string source)
    {
        if (!meta.TryGetValue(key, out var text))
            throw Bad(source, key, "the entry is missing from the metadata.");
        try
        {
            return JsonNode.Parse(text) ?? throw Bad(source, key, "the entry is JSON null.");
        }
        catch (JsonException e)
        {
            throw Bad(source, key, $"the entry is not valid JSON: {ErrorText.Json(e)}.", e);
        }
    }

    private static JsonObject Object(IReadOnlyDictionary<string, string> meta, string key, string source) =>
        Parse(meta, key, source) as JsonObject ?? throw Bad(source, key, $"the entry must be a JSON object, found {HistoryJson.Describe(Parse(meta, key, source))}.");

    private static JsonArray Array(IReadOnlyDictionary<string, string> meta, string key, string source) =>
        Parse(meta, key, source) as JsonArray ?? throw Bad(source, key, $"the entry must be a JSON array, found {HistoryJson.Describe(Parse(meta, key, source))}.");

    // Runs a parse step; its FormatException becomes a CheckpointFormatException naming the key.
    private static T At<T>(string source, string key, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (FormatException e)
        {
            throw Bad(source, key, e.Message.StartsWith("it ", StringComparison.Ordinal) ? e.Message[3..] : e.Message, e);
        }
        catch (InvalidOperationException e) // a key that unescapes to invalid UTF-16
        {
            throw Bad(source, key, $"holds text that is not valid ({e.Message}).", e);
        }
    }

    public static CheckpointFormatException Bad(string source, string key, string problem, Exception? inner = null) => new(source, key, problem, inner);
}

using System.Text.Json.Nodes;
using Dendrite.Data;
using Dendrite.IO;
using Dendrite.Optim;

namespace Dendrite.Training;

public sealed partial class Trainer
{
    /// <summary>The <c>format</c> metadata value of a training checkpoint.</summary>
    public const string CheckpointFormat = "dendrite.training.v1";

    private DataLoader? _lastTrainLoader;
    private PendingResume? _pending;

    private sealed record PendingResume((ulong Seed, ulong Counter)? LoaderState, (ulong Seed, ulong Counter)[] Generators, PartialEpoch? Partial);

    /// <summary>
    /// Writes a training checkpoint to <paramref name="path"/> (atomically, in the safetensors format): the model
    /// state (<c>model.*</c>), the optimizer state (<c>optimizer.*</c>, with its JSON part), the schedulers, the epoch
    /// and step counters, the states of the train loader's generator and of <see cref="Generators"/>, the history and
    /// the callbacks' state. The JSON parts go into the safetensors <c>__metadata__</c>.
    /// </summary>
    public void SaveCheckpoint(string path) => SaveCheckpoint(path, null);

    internal void SaveCheckpoint(string path, PartialEpoch? partial)
    {
        ArgumentNullException.ThrowIfNull(path);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (k, t) in Model.StateDict())
            tensors["model." + k] = t;
        var opt = Optimizer.StateDict();
        foreach (var (k, t) in opt.Tensors)
            tensors["optimizer." + k] = t;
        var callbacks = new JsonArray();
        for (int i = 0; i < _callbacks.Count; i++)
            callbacks.Add(new JsonObject
            {
                ["type"] = _callbacks[i].GetType().Name,
                ["state"] = _callbacks[i].SaveState(tensors, $"callback.{i}."),
            });
        var trainer = new JsonObject
        {
            ["epochs_completed"] = EpochsCompleted,
            ["global_step"] = GlobalStep,
            ["generators"] = new JsonArray([.. Generators.Select(g => (JsonNode)StateJson(g.GetState()))]),
        };
        if (partial is not null)
        {
            trainer["loader_generator"] = StateJson(partial.LoaderStateAtStart);
            trainer["partial_epoch"] = new JsonObject { ["steps_done"] = partial.StepsDone, ["loss_sum"] = partial.LossSum };
        }
        else if (_lastTrainLoader is not null)
            trainer["loader_generator"] = StateJson(_lastTrainLoader.Generator.GetState());
        var meta = new Dictionary<string, string>
        {
            ["format"] = CheckpointFormat,
            ["trainer"] = trainer.ToJsonString(),
            ["optimizer"] = opt.Meta.ToJsonString(),
            ["history"] = History.ToJson(),
            ["callbacks"] = callbacks.ToJsonString(),
        };
        if (Scheduler is not null)
            meta["scheduler"] = Scheduler.StateDict().ToJsonString();
        if (Plateau is not null)
            meta["plateau"] = Plateau.StateDict().ToJsonString();
        SafeTensors.Save(path, tensors, meta);
    }

    /// <summary>
    /// Restores a checkpoint written by <see cref="SaveCheckpoint(string)"/> into this trainer, whose model, optimizer,
    /// schedulers and callbacks must be built the same way. The model, optimizer, schedulers, counters, history and
    /// callbacks are restored now; the generator states are applied when <see cref="Fit"/> starts, so the next epoch
    /// (or the rest of an interrupted one) sees exactly the data order and random draws of an uninterrupted run.
    /// </summary>
    public void LoadCheckpoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = SafeTensors.Read(path);
        var meta = file.Metadata;
        if (!meta.TryGetValue("format", out var format) || format != CheckpointFormat)
            throw new InvalidDataException($"Trainer.LoadCheckpoint: '{path}' is not a training checkpoint (metadata format is '{format ?? "missing"}', expected '{CheckpointFormat}').");
        string Need(string key) => meta.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"Trainer.LoadCheckpoint: '{path}' has no '{key}' entry in its metadata.");
        Dictionary<string, Tensor> Part(string prefix) => file.Tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value, StringComparer.Ordinal);

        var trainer = (JsonObject)JsonNode.Parse(Need("trainer"))!;
        var generatorStates = trainer["generators"]!.AsArray().Select(n => ParseState(n!)).ToArray();
        if (generatorStates.Length != Generators.Count)
            throw new InvalidDataException($"Trainer.LoadCheckpoint: '{path}' stores {generatorStates.Length} generator states but this trainer tracks {Generators.Count}.");
        var callbacks = JsonNode.Parse(Need("callbacks"))!.AsArray();
        if (callbacks.Count != _callbacks.Count)
            throw new InvalidDataException($"Trainer.LoadCheckpoint: '{path}' stores {callbacks.Count} callbacks but this trainer has {_callbacks.Count}.");
        if (meta.ContainsKey("scheduler") != (Scheduler is not null) || meta.ContainsKey("plateau") != (Plateau is not null))
            throw new InvalidDataException($"Trainer.LoadCheckpoint: '{path}' and this trainer differ in their learning-rate schedulers.");

        Model.LoadStateDict(Part("model."));
        Optimizer.LoadStateDict(new OptimizerStateDict((JsonObject)JsonNode.Parse(Need("optimizer"))!, Part("optimizer.")));
        if (Scheduler is not null)
            Scheduler.LoadStateDict((JsonObject)JsonNode.Parse(meta["scheduler"])!);
        if (Plateau is not null)
            Plateau.LoadStateDict((JsonObject)JsonNode.Parse(meta["plateau"])!);
        for (int i = 0; i < _callbacks.Count; i++)
            _callbacks[i].LoadState(callbacks[i]!["state"], Part($"callback.{i}."), "");
        History = History.FromJson(Need("history"));
        EpochsCompleted = trainer["epochs_completed"]!.GetValue<int>();
        GlobalStep = trainer["global_step"]!.GetValue<long>();
        PartialEpoch? partial = null;
        (ulong, ulong)? loader = trainer["loader_generator"] is { } lg ? ParseState(lg) : null;
        if (trainer["partial_epoch"] is JsonObject pe)
            partial = new PartialEpoch(loader!.Value, pe["steps_done"]!.GetValue<int>(), pe["loss_sum"]!.GetValue<double>());
        _pending = new PendingResume(loader, generatorStates, partial);
    }

    private PartialEpoch? TakePendingResume(DataLoader train)
    {
        _lastTrainLoader = train;
        var pending = _pending;
        _pending = null;
        if (pending is null)
            return null;
        for (int i = 0; i < Generators.Count; i++)
            Generators[i].SetState(pending.Generators[i]);
        if (pending.LoaderState is { } s)
            train.Generator.SetState(s);
        return pending.Partial;
    }

    private static JsonArray StateJson((ulong Seed, ulong Counter) s) => new(s.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Counter.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static (ulong, ulong) ParseState(JsonNode n)
    {
        var a = n.AsArray();
        return (ulong.Parse(a[0]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
                ulong.Parse(a[1]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }
}

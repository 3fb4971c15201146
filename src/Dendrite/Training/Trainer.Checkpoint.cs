using System.Globalization;
using System.Text.Json.Nodes;
using Dendrite.Data;
using Dendrite.IO;
using Dendrite.Training.Metrics;

namespace Dendrite.Training;

public sealed partial class Trainer
{
    /// <summary>The <c>format</c> metadata value of a training checkpoint.</summary>
    public const string CheckpointFormat = "dendrite.training.v1";

    private DataLoader? _lastTrainLoader;
    private PendingResume? _pending;
    private HistoryJournal? _journal;

    private sealed record PendingResume((ulong Seed, ulong Counter)? LoaderState, (ulong Seed, ulong Counter)[] Generators, PartialEpoch? Partial);

    /// <summary>
    /// Writes a training checkpoint to <paramref name="path"/> (atomically, in the safetensors format): the model
    /// state (<c>model.*</c>), the optimizer state (<c>optimizer.*</c>, with its JSON part), the schedulers, the epoch
    /// and step counters, the states of the train loader's generator and of <see cref="Generators"/>, the history and
    /// the callbacks' state. The JSON parts go into the safetensors <c>__metadata__</c>; the file is self-contained.
    /// (The checkpoints <see cref="Fit"/> writes to <see cref="CheckpointPath"/> every epoch keep the history in an
    /// append-only journal beside the file instead, so that their cost does not grow with the epochs done.)
    /// </summary>
    public void SaveCheckpoint(string path) => SaveCheckpoint(path, null, journaled: false);

    internal void SaveCheckpoint(string path, PartialEpoch? partial, bool journaled = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (k, t) in UnwrappedModel.StateDict())
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
            var metrics = new JsonObject();
            for (int i = 0; i < _metrics.Count; i++)
                metrics[_metrics[i].Name] = partial.MetricStates[i]?.DeepClone();
            trainer["partial_epoch"] = new JsonObject
            {
                ["steps_done"] = partial.StepsDone, ["loss_sum"] = HistoryJson.Num(partial.LossSum),
                ["lr"] = partial.Lr is { } lr ? HistoryJson.Num(lr) : null, ["metrics"] = metrics,
            };
        }
        else if (_lastTrainLoader is not null)
            trainer["loader_generator"] = StateJson(_lastTrainLoader.Generator.GetState());
        JsonObject history;
        if (journaled)
        {
            // The records go to the journal first: if the process dies before the checkpoint below replaces the old
            // one, the old checkpoint still finds its (shorter) prefix of the journal intact.
            string journalPath = HistoryJournal.PathFor(path);
            if (_journal is not null && _journal.Continues(journalPath, History))
                _journal.Append(History);
            else
                _journal = HistoryJournal.Create(journalPath, History);
            history = History.ToJsonNode(includeRecords: false);
            history["journal"] = _journal.Reference();
        }
        else
            history = History.ToJsonNode(includeRecords: true);
        var meta = new Dictionary<string, string>
        {
            ["format"] = CheckpointFormat,
            ["trainer"] = trainer.ToJsonString(),
            ["optimizer"] = opt.Meta.ToJsonString(),
            ["history"] = history.ToJsonString(),
            ["callbacks"] = callbacks.ToJsonString(),
        };
        if (Scheduler is not null)
            meta["scheduler"] = Scheduler.StateDict().ToJsonString();
        if (Plateau is not null)
            meta["plateau"] = Plateau.StateDict().ToJsonString();
        SafeTensors.Save(path, tensors, meta);
    }

    /// <summary>
    /// The files of the checkpoint at <paramref name="path"/>: the file itself and, when there is one, the history
    /// journal beside it that checkpoints written by <see cref="Fit"/> refer to. Copy all of them to move a checkpoint.
    /// </summary>
    public static IReadOnlyList<string> CheckpointFiles(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string journal = HistoryJournal.PathFor(path);
        return File.Exists(journal) ? [path, journal] : [path];
    }

    /// <summary>
    /// Restores a checkpoint written by <see cref="SaveCheckpoint(string)"/> (or by <see cref="Fit"/>) into this
    /// trainer, whose model, optimizer, metrics, schedulers and callbacks must be built the same way. The whole file is
    /// read and checked first: a malformed, hand-edited or mismatched checkpoint is a
    /// <see cref="CheckpointFormatException"/> naming the file and the key, and leaves the trainer exactly as it was.
    /// The model, optimizer, schedulers, counters, history and callbacks are restored now; the generator states are
    /// applied when <see cref="Fit"/> starts, so the next epoch (or the rest of an interrupted one) sees exactly the
    /// data order and random draws of an uninterrupted run.
    /// </summary>
    public void LoadCheckpoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        SafeTensorsFile file;
        try
        {
            file = SafeTensors.Read(path);
        }
        catch (SafeTensorsFormatException e)
        {
            throw new CheckpointFormatException(path, "", e.Problem, e);
        }
        LoadCheckpoint(file, path);
    }

    internal void LoadCheckpoint(SafeTensorsFile file, string source)
    {
        var c = CheckpointReader.Read(file, source, this);
        // The optimizer, schedulers, callbacks and metrics check their own parts as they load them: keep what they
        // hold now and put it back if any of them refuses.
        var optimizer = Optimizer.StateDict();
        var scheduler = Scheduler?.StateDict();
        var plateau = Plateau?.StateDict();
        var callbackTensors = _callbacks.Select(_ => new Dictionary<string, Tensor>(StringComparer.Ordinal)).ToArray();
        var callbackStates = _callbacks.Select((cb, i) => cb.SaveState(callbackTensors[i], "")).ToArray();
        try
        {
            Restore("optimizer", source, () => Optimizer.LoadStateDict(c.Optimizer));
            if (Scheduler is not null)
                Restore("scheduler", source, () => Scheduler.LoadStateDict(c.Scheduler!));
            if (Plateau is not null)
                Restore("plateau", source, () => Plateau.LoadStateDict(c.Plateau!));
            for (int i = 0; i < _callbacks.Count; i++)
                Restore($"callbacks[{i}]", source, () => _callbacks[i].LoadState(c.CallbackStates[i], c.CallbackTensors[i], ""));
            for (int i = 0; i < _metrics.Count; i++)
            {
                if (c.MetricStates[i] is not { } state)
                    continue;
                if (_metrics[i] is not IStatefulMetric m)
                    throw new CheckpointFormatException(source, $"trainer.partial_epoch.metrics.{_metrics[i].Name}",
                        $"the checkpoint holds a state for this metric but {_metrics[i].GetType().Name} cannot load one (it does not implement IStatefulMetric).");
                // A dry run: the epoch loop resets the metric and loads the state again when it resumes.
                Restore($"trainer.partial_epoch.metrics.{m.Name}", source, () => m.LoadState(state.DeepClone()));
                m.Reset();
            }
        }
        catch
        {
            Optimizer.LoadStateDict(optimizer);
            if (scheduler is not null)
                Scheduler!.LoadStateDict(scheduler);
            if (plateau is not null)
                Plateau!.LoadStateDict(plateau);
            for (int i = 0; i < _callbacks.Count; i++)
                _callbacks[i].LoadState(callbackStates[i], callbackTensors[i], "");
            throw;
        }
        UnwrappedModel.LoadStateDict(c.Model); // keys, shapes and dtypes were checked by the reader: this cannot fail half-way
        History = c.History;
        EpochsCompleted = c.EpochsCompleted;
        GlobalStep = c.GlobalStep;
        _journal = c.Journal;
        _pending = new PendingResume(c.Loader, c.Generators, c.Partial);
    }

    private static void Restore(string key, string source, Action load)
    {
        try
        {
            load();
        }
        catch (Exception e) when (e is not CheckpointFormatException and not OutOfMemoryException)
        {
            throw new CheckpointFormatException(source, key, e.Message, e);
        }
    }

    private PartialEpoch? TakePendingResume(DataLoader train)
    {
        _lastTrainLoader = train;
        var pending = _pending;
        _pending = null;
        if (pending is null)
            return null;
        if (pending.Partial is { } p && p.StepsDone > train.Count)
            throw new ArgumentException($"Trainer.Fit: the checkpoint stopped after step {p.StepsDone} of an epoch but the train loader has only {train.Count} batches; " +
                                        "resume with the loader the checkpoint was written with.");
        for (int i = 0; i < Generators.Count; i++)
            Generators[i].SetState(pending.Generators[i]);
        if (pending.LoaderState is { } s)
            train.Generator.SetState(s);
        return pending.Partial;
    }

    private static JsonArray StateJson((ulong Seed, ulong Counter) s) =>
        new(s.Seed.ToString(CultureInfo.InvariantCulture), s.Counter.ToString(CultureInfo.InvariantCulture));
}

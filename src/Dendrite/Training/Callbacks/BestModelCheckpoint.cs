using System.Globalization;
using System.Text.Json.Nodes;
using Dendrite.IO;

namespace Dendrite.Training.Callbacks;

/// <summary>
/// Keeps the model weights of the epoch with the best value of <see cref="Monitor"/> (the NNDL RunnerV2_2 behaviour:
/// save whenever the dev score improves), optionally writing them to a safetensors file each time, and loads them
/// back into the model when training ends when <see cref="RestoreBestAtEnd"/>. Epochs that skipped evaluation (see
/// <see cref="Trainer.EvaluateEvery"/>) and lack the value are ignored.
/// </summary>
public sealed class BestModelCheckpoint : TrainerCallback
{
    private Dictionary<string, Tensor>? _best;

    /// <summary>Watches <paramref name="monitor"/> (for example <c>dev_accuracy</c> or <c>dev_loss</c>).</summary>
    /// <param name="monitor">A recorded value name.</param>
    /// <param name="higherIsBetter">Direction of improvement (default: lower for losses and errors, higher otherwise).</param>
    /// <param name="path">A safetensors file to write the best weights to (atomically; in distributed training by rank 0 only), or null to keep them in memory only.</param>
    /// <param name="restoreBestAtEnd">Load the best weights into the model when <see cref="Trainer.Fit"/> ends.</param>
    public BestModelCheckpoint(string monitor = "dev_accuracy", bool? higherIsBetter = null, string? path = null, bool restoreBestAtEnd = true)
    {
        Monitor = monitor ?? throw new ArgumentNullException(nameof(monitor));
        HigherIsBetter = higherIsBetter ?? MonitorDirection.HigherIsBetter(monitor);
        Path = path;
        RestoreBestAtEnd = restoreBestAtEnd;
    }

    /// <summary>The watched value.</summary>
    public string Monitor { get; }

    /// <summary>Direction of improvement.</summary>
    public bool HigherIsBetter { get; }

    /// <summary>The file the best weights are written to, or null.</summary>
    public string? Path { get; }

    /// <summary>Whether the best weights are loaded back at the end of training.</summary>
    public bool RestoreBestAtEnd { get; }

    /// <summary>The best value so far (NaN before the first epoch).</summary>
    public double Best { get; private set; } = double.NaN;

    /// <summary>The epoch of <see cref="Best"/> (0 before the first epoch).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>A copy of the best weights, or null.</summary>
    public IReadOnlyDictionary<string, Tensor>? BestState => _best;

    /// <inheritdoc/>
    public override void OnEpochEnd(Trainer trainer, EpochRecord record)
    {
        if (record.Skips(Monitor))
            return;
        double v = record[Monitor];
        if (!MonitorDirection.Improves(v, Best, HigherIsBetter, 0))
            return;
        Best = v;
        BestEpoch = record.Epoch;
        _best = trainer.UnwrappedModel.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.CopyDense(), StringComparer.Ordinal);
        if (Path is not null && trainer.IsMainProcess)
            SafeTensors.Save(Path, _best, new Dictionary<string, string>
            {
                ["epoch"] = BestEpoch.ToString(CultureInfo.InvariantCulture),
                ["monitor"] = Monitor,
                ["value"] = Best.ToString("R", CultureInfo.InvariantCulture),
            });
    }

    /// <inheritdoc/>
    public override void OnFitEnd(Trainer trainer)
    {
        if (RestoreBestAtEnd && _best is not null)
            trainer.UnwrappedModel.LoadStateDict(_best);
    }

    /// <inheritdoc/>
    public override JsonNode? SaveState(IDictionary<string, Tensor> tensors, string prefix)
    {
        if (_best is not null)
            foreach (var (k, t) in _best)
                tensors[prefix + k] = t;
        return new JsonObject { ["best"] = double.IsFinite(Best) ? Best : null, ["best_epoch"] = BestEpoch, ["has_state"] = _best is not null };
    }

    /// <inheritdoc/>
    public override void LoadState(JsonNode? state, IReadOnlyDictionary<string, Tensor> tensors, string prefix)
    {
        double best = state?["best"]?.GetValue<double>() ?? double.NaN;
        int bestEpoch = state?["best_epoch"]?.GetValue<int>() ?? 0;
        bool hasState = state?["has_state"]?.GetValue<bool>() == true;
        var weights = hasState
            ? tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value, StringComparer.Ordinal)
            : null;
        if (bestEpoch < 0 || (hasState && weights!.Count == 0))
            throw new InvalidDataException($"BestModelCheckpoint: the saved state is inconsistent (best_epoch {bestEpoch}, has_state {hasState}, {weights?.Count ?? 0} saved weights).");
        (Best, BestEpoch, _best) = (best, bestEpoch, weights);
    }
}

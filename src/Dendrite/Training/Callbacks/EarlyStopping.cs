using System.Text.Json.Nodes;

namespace Dendrite.Training.Callbacks;

/// <summary>
/// Stops training when <see cref="Monitor"/> has not improved by more than <see cref="MinDelta"/> for
/// <see cref="Patience"/> consecutive epochs. Epochs that skipped evaluation (see <see cref="Trainer.EvaluateEvery"/>)
/// and lack the value are not counted.
/// </summary>
public sealed class EarlyStopping : TrainerCallback
{
    /// <summary>Watches <paramref name="monitor"/> with the given patience and minimum improvement.</summary>
    /// <param name="monitor">A recorded value name (for example <c>dev_loss</c>).</param>
    /// <param name="patience">Epochs without improvement before stopping (≥ 1).</param>
    /// <param name="minDelta">The smallest change that counts as an improvement.</param>
    /// <param name="higherIsBetter">Direction of improvement (default: lower for losses and errors, higher otherwise).</param>
    public EarlyStopping(string monitor = "dev_loss", int patience = 5, double minDelta = 0, bool? higherIsBetter = null)
    {
        Monitor = monitor ?? throw new ArgumentNullException(nameof(monitor));
        if (patience < 1)
            throw new ArgumentOutOfRangeException(nameof(patience), $"EarlyStopping: patience must be at least 1, got {patience}.");
        if (!(minDelta >= 0))
            throw new ArgumentOutOfRangeException(nameof(minDelta), $"EarlyStopping: minDelta must be non-negative, got {minDelta}.");
        Patience = patience;
        MinDelta = minDelta;
        HigherIsBetter = higherIsBetter ?? MonitorDirection.HigherIsBetter(monitor);
    }

    /// <summary>The watched value.</summary>
    public string Monitor { get; }

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>Minimum improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Direction of improvement.</summary>
    public bool HigherIsBetter { get; }

    /// <summary>The best value so far (NaN before the first epoch).</summary>
    public double Best { get; private set; } = double.NaN;

    /// <summary>The epoch of <see cref="Best"/>.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Consecutive epochs without improvement.</summary>
    public int Wait { get; private set; }

    /// <inheritdoc/>
    public override void OnEpochEnd(Trainer trainer, EpochRecord record)
    {
        if (record.Skips(Monitor))
            return;
        double v = record[Monitor];
        if (MonitorDirection.Improves(v, Best, HigherIsBetter, MinDelta))
        {
            Best = v;
            BestEpoch = record.Epoch;
            Wait = 0;
            return;
        }
        Wait++;
        if (Wait >= Patience)
            trainer.RequestStop($"Early stopping at epoch {record.Epoch}: {Monitor} has not improved by more than {MinDelta} for {Patience} epochs (best {Best} at epoch {BestEpoch}).");
    }

    /// <inheritdoc/>
    public override JsonNode? SaveState(IDictionary<string, Tensor> tensors, string prefix) =>
        new JsonObject { ["best"] = double.IsFinite(Best) ? Best : null, ["best_epoch"] = BestEpoch, ["wait"] = Wait };

    /// <inheritdoc/>
    public override void LoadState(JsonNode? state, IReadOnlyDictionary<string, Tensor> tensors, string prefix)
    {
        double best = state?["best"]?.GetValue<double>() ?? double.NaN;
        int bestEpoch = state?["best_epoch"]?.GetValue<int>() ?? 0;
        int wait = state?["wait"]?.GetValue<int>() ?? 0;
        if (bestEpoch < 0 || wait < 0)
            throw new InvalidDataException($"EarlyStopping: the saved state is inconsistent (best_epoch {bestEpoch}, wait {wait}).");
        (Best, BestEpoch, Wait) = (best, bestEpoch, wait);
    }
}

namespace Dendrite.Training;

/// <summary>
/// The values recorded at the end of one epoch: <c>train_loss</c>, <c>train_&lt;metric&gt;</c>, <c>dev_loss</c>,
/// <c>dev_&lt;metric&gt;</c> and <c>lr</c> (the learning rate used during the epoch), and its wall-clock time.
/// </summary>
/// <param name="epoch">The 1-based epoch number.</param>
/// <param name="values">The recorded values by name.</param>
/// <param name="seconds">Seconds the epoch took.</param>
/// <param name="evaluated">False when the epoch skipped evaluation (see <see cref="Trainer.EvaluateEvery"/>).</param>
public sealed class EpochRecord(int epoch, IReadOnlyDictionary<string, double> values, double seconds, bool evaluated = true)
{
    /// <summary>The 1-based epoch number.</summary>
    public int Epoch { get; } = epoch;

    /// <summary>The recorded values by name.</summary>
    public IReadOnlyDictionary<string, double> Values { get; } = values;

    /// <summary>Seconds the epoch took (training and evaluation).</summary>
    public double Seconds { get; } = seconds;

    /// <summary>Whether the dev and evaluation loaders were evaluated this epoch (true when there are none).</summary>
    public bool Evaluated { get; } = evaluated;

    /// <summary>
    /// True when a callback watching <paramref name="key"/> should skip this epoch: it was not evaluated and lacks the
    /// value. On evaluated epochs a missing value is an error (a misspelt name), reported by the indexer.
    /// </summary>
    public bool Skips(string key) => !Evaluated && !Values.ContainsKey(key);

    /// <summary>The value named <paramref name="key"/>; throws with the available names when absent.</summary>
    public double this[string key] => Values.TryGetValue(key, out double v) ? v
        : throw new KeyNotFoundException($"EpochRecord: no value '{key}' in epoch {Epoch}; recorded: {string.Join(", ", Values.Keys)}.");
}

/// <summary>The loss of one training step, recorded when the trainer's <c>RecordSteps</c> is on.</summary>
public sealed record StepRecord(int Epoch, int Step, long GlobalStep, double Loss, double Lr);

namespace Dendrite.Training;

/// <summary>
/// The values recorded at the end of one epoch: <c>train_loss</c>, <c>train_&lt;metric&gt;</c>, <c>dev_loss</c>,
/// <c>dev_&lt;metric&gt;</c> and <c>lr</c> (the learning rate used during the epoch), and its wall-clock time.
/// </summary>
public sealed class EpochRecord(int epoch, IReadOnlyDictionary<string, double> values, double seconds)
{
    /// <summary>The 1-based epoch number.</summary>
    public int Epoch { get; } = epoch;

    /// <summary>The recorded values by name.</summary>
    public IReadOnlyDictionary<string, double> Values { get; } = values;

    /// <summary>Seconds the epoch took (training and evaluation).</summary>
    public double Seconds { get; } = seconds;

    /// <summary>The value named <paramref name="key"/>; throws with the available names when absent.</summary>
    public double this[string key] => Values.TryGetValue(key, out double v) ? v
        : throw new KeyNotFoundException($"EpochRecord: no value '{key}' in epoch {Epoch}; recorded: {string.Join(", ", Values.Keys)}.");
}

/// <summary>The loss of one training step, recorded when the trainer's <c>RecordSteps</c> is on.</summary>
public sealed record StepRecord(int Epoch, int Step, long GlobalStep, double Loss, double Lr);

namespace Dendrite.Training;

/// <summary>What a <see cref="TrainingProgress"/> report is about.</summary>
public enum ProgressKind
{
    /// <summary>An epoch is starting.</summary>
    EpochStart,

    /// <summary>A training step finished.</summary>
    Step,

    /// <summary>An epoch finished (train and dev values are final).</summary>
    EpochEnd,
}

/// <summary>
/// A progress report from <see cref="Trainer.Fit"/>, enough to draw a progress bar: where training is, the running
/// mean train loss of the epoch, throughput (in distributed training, of all the processes together), and the values:
/// running train loss and metrics after each step (in distributed training, the metrics of rank 0's shard so far), all
/// recorded values at epoch end (null at epoch start).
/// </summary>
public sealed record TrainingProgress(
    ProgressKind Kind,
    int Epoch,
    int Epochs,
    int Step,
    int StepsPerEpoch,
    double Loss,
    double SamplesPerSecond,
    TimeSpan Elapsed,
    IReadOnlyDictionary<string, double>? Values);

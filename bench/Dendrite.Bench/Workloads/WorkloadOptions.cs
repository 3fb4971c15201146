namespace Dendrite.Bench.Workloads;

/// <summary>
/// Overrides that shorten a workload for development and tests. Null keeps the reference job
/// (shared/peers README); any override makes the run a different job, so its numbers are not comparable.
/// </summary>
/// <param name="Epochs">Number of epochs instead of the workload's own.</param>
/// <param name="StepsPerEpoch">Stop each epoch after this many steps (the shuffle stream still draws whole permutations).</param>
/// <param name="TestSamples">Evaluate on only the first this-many test samples.</param>
/// <param name="Device">Train on this device instead of the CPU (W3-W5): the model moves there and every batch is copied there.</param>
public sealed record WorkloadOptions(int? Epochs = null, int? StepsPerEpoch = null, int? TestSamples = null, Device? Device = null)
{
    /// <summary>The reference job, no overrides.</summary>
    public static WorkloadOptions Full { get; } = new();

    /// <summary>True when any override is set.</summary>
    public bool IsShortened => Epochs is not null || StepsPerEpoch is not null || TestSamples is not null;
}

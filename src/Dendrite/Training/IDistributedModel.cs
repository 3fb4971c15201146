using Dendrite.NN;

namespace Dendrite.Training;

/// <summary>
/// A model trained by several processes at once (<c>Dendrite.Distributed.DistributedDataParallel</c>). Around one,
/// <see cref="Trainer"/> agrees on each step's loss over <see cref="Group"/>, sums the metrics' totals over the
/// processes, and lets only rank 0 report progress and write checkpoints; checkpoints hold <see cref="Module"/>'s
/// state, so they load into the plain model too.
/// </summary>
public interface IDistributedModel
{
    /// <summary>The wrapped model, whose state dict checkpoints hold.</summary>
    Module Module { get; }

    /// <summary>The processes training it.</summary>
    IProcessGroup Group { get; }
}

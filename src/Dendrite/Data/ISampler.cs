namespace Dendrite.Data;

/// <summary>
/// Chooses which samples an epoch of a <see cref="DataLoader"/> visits and in which order (PyTorch's <c>Sampler</c>),
/// for example one process's shard of the data in distributed training.
/// </summary>
public interface ISampler
{
    /// <summary>The number of indices each epoch yields.</summary>
    int Count { get; }

    /// <summary>The dataset indices of the current epoch, in order: <see cref="Count"/> of them, each in 0 .. dataset count − 1.</summary>
    int[] Indices();

    /// <summary>
    /// Sets the epoch (0-based) whose indices <see cref="Indices"/> gives, for samplers whose order depends on it;
    /// <see cref="Training.Trainer"/> calls it before every epoch. Samplers whose order does not depend on the epoch ignore it.
    /// </summary>
    void SetEpoch(int epoch);
}

namespace Dendrite.Data;

/// <summary>
/// A dataset (of <c>Tensor[]</c> samples) that can gather a whole batch at once: one copy straight into the batch
/// tensors, with no per-sample tensors. <see cref="DataLoader"/> uses it instead of stacking samples.
/// </summary>
public interface IBatchDataset
{
    /// <summary>
    /// False when this instance cannot gather batches itself (for example a <see cref="Subset{TSample}"/> over a
    /// dataset that has no batch gather); the loader then stacks samples one by one.
    /// </summary>
    bool CanGatherBatches { get; }

    /// <summary>
    /// The samples at <paramref name="indices"/> stacked along a new leading dimension: one tensor per field with
    /// shape <c>[indices.Length, ...field shape]</c>, the same as stacking the samples at those indices.
    /// </summary>
    Tensor[] GetBatch(ReadOnlySpan<int> indices);
}

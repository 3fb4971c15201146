namespace Dendrite.Data;

/// <summary>A finite, indexable collection of samples (PyTorch's map-style <c>Dataset</c>).</summary>
/// <typeparam name="TSample">The sample type; <see cref="DataLoader"/> works with <c>Tensor[]</c> samples (one tensor per field).</typeparam>
public interface IDataset<out TSample>
{
    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>The sample at <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>).</summary>
    TSample this[int index] { get; }
}

/// <summary>Helpers shared by dataset implementations.</summary>
public static class DatasetExtensions
{
    /// <summary>The sample at <paramref name="index"/> (same as the indexer).</summary>
    public static TSample Get<TSample>(this IDataset<TSample> dataset, int index) => dataset[index];

    internal static void CheckIndex(int index, int count, string owner)
    {
        if ((uint)index >= (uint)count)
            throw new ArgumentOutOfRangeException(nameof(index), $"{owner}: index {index} is out of range for a dataset of {count} samples.");
    }
}

namespace Dendrite.Data;

/// <summary>Seeded random partition of a dataset into non-overlapping subsets (<c>torch.utils.data.random_split</c>).</summary>
public static class DatasetSplit
{
    /// <summary>
    /// Splits <paramref name="dataset"/> into subsets of the given <paramref name="lengths"/> (which must sum to its
    /// count), using one permutation drawn from <paramref name="generator"/> (default <see cref="Generator.Default"/>).
    /// </summary>
    public static Subset<TSample>[] RandomSplit<TSample>(IDataset<TSample> dataset, int[] lengths, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(lengths);
        long sum = 0;
        foreach (int l in lengths)
        {
            if (l < 0)
                throw new ArgumentException($"RandomSplit: lengths must be non-negative, got [{string.Join(", ", lengths)}].");
            sum += l;
        }
        if (sum != dataset.Count)
            throw new ArgumentException($"RandomSplit: lengths [{string.Join(", ", lengths)}] sum to {sum}, but the dataset has {dataset.Count} samples.");
        var perm = (generator ?? Generator.Default).Permutation(dataset.Count);
        var result = new Subset<TSample>[lengths.Length];
        int start = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            result[i] = new Subset<TSample>(dataset, new ArraySegment<int>(perm, start, lengths[i]));
            start += lengths[i];
        }
        return result;
    }

    /// <summary>
    /// Splits by <paramref name="fractions"/> summing to 1: each subset gets floor(fraction·count) samples and the
    /// remainder is dealt one at a time to the subsets in order (as PyTorch does).
    /// </summary>
    public static Subset<TSample>[] RandomSplit<TSample>(IDataset<TSample> dataset, double[] fractions, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(fractions);
        double total = 0;
        foreach (double f in fractions)
        {
            if (!(f >= 0 && f <= 1))
                throw new ArgumentException($"RandomSplit: fractions must be in [0, 1], got [{string.Join(", ", fractions)}].");
            total += f;
        }
        if (Math.Abs(total - 1) > 1e-6)
            throw new ArgumentException($"RandomSplit: fractions [{string.Join(", ", fractions)}] sum to {total}, not 1.");
        var lengths = new int[fractions.Length];
        int assigned = 0;
        for (int i = 0; i < fractions.Length; i++)
        {
            lengths[i] = (int)Math.Floor(dataset.Count * fractions[i]);
            assigned += lengths[i];
        }
        for (int i = 0; assigned < dataset.Count; i = (i + 1) % lengths.Length, assigned++)
            lengths[i]++;
        return RandomSplit(dataset, lengths, generator);
    }
}

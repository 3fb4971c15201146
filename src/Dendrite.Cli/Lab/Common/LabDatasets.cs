namespace Dendrite.Cli.Lab.Common;

/// <summary>A labelled data set held in memory: features [N, ...] and labels [N].</summary>
public sealed record LabeledData(Tensor X, Tensor Y)
{
    /// <summary>The number of samples.</summary>
    public int Count => X.Size(0);

    /// <summary>Rows [start, start + length).</summary>
    public LabeledData Slice(int start, int length) => new(X.Narrow(0, start, length), Y.Narrow(0, start, length));

    /// <summary>The rows at the given indices (a copy).</summary>
    public LabeledData Take(Tensor indices) => new(X.IndexSelect(0, indices), Y.IndexSelect(0, indices));

    /// <summary>The same samples in a random order.</summary>
    public LabeledData Shuffle(Generator rng) => Take(Indices(rng.Permutation(Count)));

    /// <summary>An int64 index tensor.</summary>
    public static Tensor Indices(int[] idx) => Tensor.FromArray(idx, idx.Length);
}

/// <summary>The lab's data sets, read or generated with Dendrite.Data and held in memory as tensors.</summary>
public static class LabDatasets
{
    /// <summary>The Fashion-MNIST class names, in label order.</summary>
    public static IReadOnlyList<string> FashionClasses => Data.Datasets.FashionMnist.ClassNames;

    /// <summary>Two interleaving half circles (NNDL's construction), shuffled, with Gaussian noise: X [n, 2], Y [n] 0/1 float32.</summary>
    public static LabeledData Moons(int n, double noise, Generator rng)
    {
        var (x, y) = Data.Datasets.Moons.Make(n, noise, rng, Data.Datasets.MoonsVariant.Nndl, shuffle: true);
        return new LabeledData(x, y);
    }

    /// <summary>Two concentric circles (the inner one of radius <paramref name="factor"/> is class 1) with noise.</summary>
    public static LabeledData Circles(int n, double noise, double factor, Generator rng)
    {
        var (x, y) = Data.Datasets.Circles.Make(n, noise, factor, rng);
        return new LabeledData(x, y);
    }

    /// <summary>
    /// Fashion-MNIST: images [N, 1, 28, 28] float32 in [0, 1] and labels [N] int64; <paramref name="limit"/> keeps the
    /// first samples only.
    /// </summary>
    public static LabeledData FashionMnist(string dir, bool train, int? limit = null)
    {
        var ds = new Data.Datasets.FashionMnist(dir, train);
        int n = Math.Min(limit ?? ds.Count, ds.Count);
        var batch = ds.GetBatch(Enumerable.Range(0, n).ToArray());
        return new LabeledData(batch[0], batch[1]);
    }
}

namespace Dendrite.Cli.Lab.Common;

/// <summary>Fashion-MNIST splits for the lab: a subset in quick mode, flat [N, 784] or image [N, 1, 28, 28] features.</summary>
public static class FashionData
{
    /// <summary>Loads the training and test sets (the first <paramref name="trainLimit"/>/<paramref name="testLimit"/> samples when given).</summary>
    public static (LabeledData Train, LabeledData Test) Load(ExperimentContext ctx, int? trainLimit, int? testLimit, bool flatten)
    {
        string dir = ctx.FashionMnistDir ?? throw new DirectoryNotFoundException(LabData.MissingFashionMnist());
        var train = LabDatasets.FashionMnist(dir, train: true, trainLimit);
        var test = LabDatasets.FashionMnist(dir, train: false, testLimit);
        ctx.Log($"  Fashion-MNIST: {train.Count} training and {test.Count} test images from {dir}", Ui.Tone.Detail);
        return flatten ? (Flat(train), Flat(test)) : (train, test);
    }

    /// <summary>Images [N, 1, 28, 28] as vectors [N, 784].</summary>
    public static LabeledData Flat(LabeledData d) => d with { X = d.X.Reshape(d.Count, -1) };

    /// <summary>Splits off the last <paramref name="devCount"/> samples of a (shuffled) training set as a validation set.</summary>
    public static (LabeledData Train, LabeledData Dev) CarveDev(LabeledData train, int devCount, Generator rng)
    {
        var shuffled = train.Shuffle(rng);
        return (shuffled.Slice(0, train.Count - devCount), shuffled.Slice(train.Count - devCount, devCount));
    }
}

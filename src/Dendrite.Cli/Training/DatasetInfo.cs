namespace Dendrite.Cli.Training;

/// <summary>
/// What <c>dendrite train</c> knows about a data set before loading it: enough to check a configuration (model input
/// width, classes, sizes of the splits) before a run folder exists.
/// </summary>
/// <param name="Name">The name used on the command line.</param>
/// <param name="Features">Input features per sample (flattened images: 784).</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="ImageShape">The [channels, height, width] of the samples when they are images a CNN can take, else null.</param>
/// <param name="TrainCount">Samples in the training split (the dev split is carved from it).</param>
/// <param name="TestCount">Samples in the test split.</param>
public sealed record DatasetInfo(string Name, int Features, int Classes, int[]? ImageShape, int TrainCount, int TestCount)
{
    /// <summary>Whether the samples are images a CNN can take.</summary>
    public bool Images => ImageShape is not null;

    /// <summary>The data sets <c>dendrite train</c> can use.</summary>
    public static IReadOnlyList<DatasetInfo> All { get; } =
    [
        new("fashion-mnist", 784, 10, [1, 28, 28], 60000, 10000),
        new("mnist", 784, 10, [1, 28, 28], 60000, 10000),
        new("cifar10", 3072, 10, [3, 32, 32], 50000, 10000),
        new("moons", 2, 2, null, 800, 200),
        new("circles", 2, 2, null, 800, 200),
    ];

    /// <summary>The data set called <paramref name="name"/>, or null.</summary>
    public static DatasetInfo? Find(string? name) => All.FirstOrDefault(d => d.Name == name);

    /// <summary>The names, for messages: "fashion-mnist, mnist, moons or circles".</summary>
    public static string Names => string.Join(", ", All.Take(All.Count - 1).Select(d => d.Name)) + " or " + All[^1].Name;
}

using Dendrite.Data.Transforms;

namespace Dendrite.Data.Datasets;

/// <summary>
/// A dataset stored in the MNIST layout: a folder with the four IDX files <c>train-images-idx3-ubyte</c>,
/// <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c> and <c>t10k-labels-idx1-ubyte</c> (each gzipped or
/// not) holding one-channel images and one label byte per image. <see cref="Mnist"/> and <see cref="FashionMnist"/>
/// differ only in their folder name, checksums and class names.
/// </summary>
public abstract class MnistLayoutDataset : ByteImageDataset
{
    /// <summary>Reads the <paramref name="train"/> or test split from <paramref name="folder"/>, checking <paramref name="md5"/> when given.</summary>
    private protected MnistLayoutDataset(string displayName, string folder, bool train, IReadOnlyDictionary<string, string[]>? md5, string installHint,
        IReadOnlyList<string> classes, bool flatten, ITransform? transform)
        : this(folder, train, MnistFiles.Load(displayName, folder, train, md5, installHint, classes.Count), classes, flatten, transform)
    {
    }

    private MnistLayoutDataset(string folder, bool train, (byte[] Pixels, byte[] Labels, int Rows, int Cols) d, IReadOnlyList<string> classes,
        bool flatten, ITransform? transform)
        : base(d.Pixels, d.Labels, 1, d.Rows, d.Cols, classes, flatten, transform)
    {
        Root = folder;
        Train = train;
    }

    /// <summary>The folder the files were read from.</summary>
    public string Root { get; }

    /// <summary>True for the training split.</summary>
    public bool Train { get; }

    /// <summary>Whether the four files (gzipped or not) are all in <paramref name="folder"/>.</summary>
    private protected static bool FilesPresent(string folder) =>
        new[] { MnistFiles.TrainImages, MnistFiles.TrainLabels, MnistFiles.TestImages, MnistFiles.TestLabels }
            .All(n => DataRoot.FindFile(folder, n, n + ".gz") is not null);
}

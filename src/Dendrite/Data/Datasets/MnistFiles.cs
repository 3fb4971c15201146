namespace Dendrite.Data.Datasets;

/// <summary>Loads the four-file IDX layout shared by MNIST and Fashion-MNIST.</summary>
internal static class MnistFiles
{
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>Reads images [N, rows, cols] and labels [N] of one split, checking structure, counts, label range and checksums.</summary>
    public static (byte[] Pixels, byte[] Labels, int Rows, int Cols) Load(string displayName, string folder, bool train,
        IReadOnlyDictionary<string, string[]>? knownMd5, string installHint, int classCount)
    {
        string imagesName = train ? TrainImages : TestImages;
        string labelsName = train ? TrainLabels : TestLabels;
        string imagesPath = Find(displayName, folder, imagesName, installHint);
        string labelsPath = Find(displayName, folder, labelsName, installHint);
        var images = Idx.Read(imagesPath, Idx.ImagesMagic, Md5For(knownMd5, imagesName));
        var labels = Idx.Read(labelsPath, Idx.LabelsMagic, Md5For(knownMd5, labelsName));
        if (images.Dims[0] != labels.Dims[0])
            throw new DatasetFileException(labelsPath, $"{displayName}: '{imagesPath}' holds {images.Dims[0]} images but '{labelsPath}' holds {labels.Dims[0]} labels.");
        int bad = labels.Data.AsSpan().IndexOfAnyInRange((byte)classCount, byte.MaxValue);
        if (bad >= 0)
            throw new DatasetFileException(labelsPath,
                $"{displayName}: '{labelsPath}' gives sample {bad} the label {labels.Data[bad]}, outside the {classCount} classes 0..{classCount - 1} (the file is corrupt).");
        return (images.Data, labels.Data, images.Dims[1], images.Dims[2]);
    }

    // Null (no check) when no checksum is known for the file.
    private static string[]? Md5For(IReadOnlyDictionary<string, string[]>? known, string name)
    {
        if (known is null)
            return null;
        var list = new List<string>();
        if (known.TryGetValue(name, out var raw))
            list.AddRange(raw);
        if (known.TryGetValue(name + ".gz", out var gz))
            list.AddRange(gz);
        return list.Count == 0 ? null : [.. list];
    }

    private static string Find(string displayName, string folder, string name, string installHint)
    {
        return DataRoot.FindFile(folder, name, name + ".gz")
            ?? throw new DatasetFileException(Path.Combine(folder, name + ".gz"),
                $"{displayName}: neither {name}.gz nor {name} was found in '{folder}'. {installHint} " +
                $"Or pass root: (the folder with the files), or set {DataRoot.EnvironmentVariable} to a folder holding a '{Path.GetFileName(folder.TrimEnd('/'))}' sub-folder.");
    }
}

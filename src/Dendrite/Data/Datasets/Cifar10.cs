using Dendrite.Data.Transforms;

namespace Dendrite.Data.Datasets;

/// <summary>
/// CIFAR-10 from its binary version: <c>data_batch_1.bin</c> .. <c>data_batch_5.bin</c> (training) and
/// <c>test_batch.bin</c> (test), each a sequence of 3,073-byte records (one label byte 0-9, then 1,024 red, 1,024
/// green and 1,024 blue pixels of a 32×32 image, rows first). Images come out as float32 [3, 32, 32] in [0, 1].
/// The folder is resolved by <see cref="DataRoot"/> (folder name <c>cifar-10-batches-bin</c>).
/// </summary>
public sealed class Cifar10 : ByteImageDataset
{
    /// <summary>The dataset's folder name under <see cref="DataRoot"/> (as unpacked from the official archive).</summary>
    public const string FolderName = "cifar-10-batches-bin";

    /// <summary>Bytes per record: one label and 3×32×32 pixels.</summary>
    public const int RecordSize = 1 + 3 * 32 * 32;

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>The training files, in order.</summary>
    public static IReadOnlyList<string> TrainFiles { get; } =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>The test file.</summary>
    public const string TestFile = "test_batch.bin";

    /// <summary>Loads the training (<paramref name="train"/>) or test split.</summary>
    /// <param name="root">The folder holding the .bin files (default: see <see cref="DataRoot"/>).</param>
    /// <param name="train">Training split (the five data batches) or the test batch.</param>
    /// <param name="flatten">Images as [3072] instead of [3, 32, 32].</param>
    /// <param name="transform">Optional per-sample transform of the float32 image.</param>
    public Cifar10(string? root = null, bool train = true, bool flatten = false, ITransform? transform = null)
        : this(DataRoot.Resolve(FolderName, root), train, LoadRecords(DataRoot.Resolve(FolderName, root), train), flatten, transform)
    {
    }

    private Cifar10(string folder, bool train, (byte[] Pixels, byte[] Labels) d, bool flatten, ITransform? transform)
        : base(d.Pixels, d.Labels, 3, 32, 32, ClassNames, flatten, transform)
    {
        Root = folder;
        Train = train;
    }

    /// <summary>Whether the five training batches and the test batch are present in the folder <paramref name="root"/> resolves to.</summary>
    public static bool IsAvailable(string? root = null)
    {
        string folder = DataRoot.Resolve(FolderName, root);
        return TrainFiles.Append(TestFile).All(n => File.Exists(Path.Combine(folder, n)));
    }

    /// <summary>The folder the files were read from.</summary>
    public string Root { get; }

    /// <summary>True for the training split.</summary>
    public bool Train { get; }

    private static (byte[] Pixels, byte[] Labels) LoadRecords(string folder, bool train)
    {
        var names = train ? TrainFiles : [TestFile];
        var paths = new string[names.Count];
        long records = 0;
        for (int f = 0; f < names.Count; f++)
        {
            paths[f] = Path.Combine(folder, names[f]);
            if (!File.Exists(paths[f]))
                throw new DatasetFileException(paths[f],
                    $"CIFAR-10: '{paths[f]}' was not found. Unpack the binary version (cifar-10-binary.tar.gz) so that '{folder}' holds {string.Join(", ", names)}, " +
                    $"or pass root: (the folder with the files), or set {DataRoot.EnvironmentVariable} to a folder holding a '{FolderName}' sub-folder.");
            long len = new FileInfo(paths[f]).Length;
            if (len == 0 || len % RecordSize != 0)
                throw new DatasetFileException(paths[f],
                    $"CIFAR-10: '{paths[f]}' is truncated or corrupt: its {len} bytes are not a whole number of {RecordSize}-byte records " +
                    $"({len / RecordSize} records and {len % RecordSize} bytes left over).");
            records += len / RecordSize;
        }
        const int imageSize = RecordSize - 1;
        // Pinned like Idx's arrays: the pixels live as long as the dataset and should never be copied by the GC.
        var pixels = GC.AllocateUninitializedArray<byte>(checked((int)(records * imageSize)), pinned: true);
        var labels = GC.AllocateUninitializedArray<byte>(checked((int)records), pinned: records >= Idx.LongLivedBytes);
        var record = new byte[RecordSize];
        int n = 0;
        foreach (var path in paths)
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            long count = fs.Length / RecordSize;
            for (long r = 0; r < count; r++, n++)
            {
                fs.ReadExactly(record);
                if (record[0] > 9)
                    throw new DatasetFileException(path, $"CIFAR-10: '{path}' record {r} has label {record[0]}; labels must be 0-9 (the file is corrupt or not the binary version).");
                labels[n] = record[0];
                record.AsSpan(1).CopyTo(pixels.AsSpan(n * imageSize, imageSize));
            }
        }
        return (pixels, labels);
    }

    /// <summary>Writes records in the CIFAR-10 binary layout (for tests and tools): one label byte then 3072 pixel bytes each.</summary>
    public static void WriteBatchFile(string path, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> pixels)
    {
        const int imageSize = RecordSize - 1;
        if (pixels.Length != labels.Length * imageSize)
            throw new ArgumentException($"Cifar10.WriteBatchFile: {labels.Length} labels need {labels.Length * imageSize} pixel bytes, got {pixels.Length}.");
        var data = new byte[labels.Length * RecordSize];
        for (int i = 0; i < labels.Length; i++)
        {
            data[i * RecordSize] = labels[i];
            pixels.Slice(i * imageSize, imageSize).CopyTo(data.AsSpan(i * RecordSize + 1));
        }
        Dendrite.IO.AtomicFile.WriteAllBytes(path, data);
    }
}

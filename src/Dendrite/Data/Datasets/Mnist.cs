using Dendrite.Data.Transforms;

namespace Dendrite.Data.Datasets;

/// <summary>
/// The MNIST handwritten digits: 60,000 training and 10,000 test 28×28 grayscale images of the digits 0-9, read
/// from the four IDX files (gzipped or not) with their published MD5 checksums verified. The folder is resolved by
/// <see cref="DataRoot"/> (default <c>/usr/share/datasets/mnist</c>). Pixels stay bytes in memory.
/// </summary>
public sealed class Mnist : MnistLayoutDataset
{
    /// <summary>The dataset's folder name under <see cref="DataRoot"/>.</summary>
    public const string FolderName = "mnist";

    /// <summary>How to install the files when they are missing.</summary>
    public const string InstallHint = "Download the four files of the MNIST release (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) into that folder.";

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"];

    /// <summary>
    /// Accepted MD5s by file name: the published .gz files (the MNIST release) and the published raw files
    /// (the decompressed content, which also validates re-compressed copies).
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> KnownMd5 { get; } = new Dictionary<string, string[]>
    {
        ["train-images-idx3-ubyte.gz"] = ["f68b3c2dcbeaaa9fbdd348bbdeb94873"],
        ["train-labels-idx1-ubyte.gz"] = ["d53e105ee54ea40749a09fcbcd1e9432"],
        ["t10k-images-idx3-ubyte.gz"] = ["9fb629c4189551a2d022fa330f9573f3"],
        ["t10k-labels-idx1-ubyte.gz"] = ["ec29112dd5afa0611ce80d1b7f02629c"],
        ["train-images-idx3-ubyte"] = ["6bbc9ace898e44ae57da46a324031adb"],
        ["train-labels-idx1-ubyte"] = ["a25bea736e30d166cdddb491f175f624"],
        ["t10k-images-idx3-ubyte"] = ["2646ac647ad5339dbf082846283269ea"],
        ["t10k-labels-idx1-ubyte"] = ["27ae3e4e09519cfbb04c329615203637"],
    };

    /// <summary>Loads the training (<paramref name="train"/>) or test split.</summary>
    /// <param name="root">The folder holding the files (default: see <see cref="DataRoot"/>).</param>
    /// <param name="train">Training split (60,000) or test split (10,000).</param>
    /// <param name="flatten">Images as [784] instead of [1, 28, 28].</param>
    /// <param name="transform">Optional per-sample transform of the float32 image.</param>
    /// <param name="verifyChecksums">Check the MD5 of each file against <see cref="KnownMd5"/>.</param>
    public Mnist(string? root = null, bool train = true, bool flatten = false, ITransform? transform = null, bool verifyChecksums = true)
        : base("MNIST", DataRoot.Resolve(FolderName, root), train, verifyChecksums ? KnownMd5 : null, InstallHint, ClassNames, flatten, transform)
    {
    }

    /// <summary>Whether the four files are present in the folder <paramref name="root"/> resolves to.</summary>
    public static bool IsAvailable(string? root = null) => FilesPresent(DataRoot.Resolve(FolderName, root));
}

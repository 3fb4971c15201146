using Dendrite.Data.Transforms;

namespace Dendrite.Data.Datasets;

/// <summary>
/// Zalando's Fashion-MNIST: 60,000 training and 10,000 test 28×28 grayscale images of 10 clothing classes, read
/// from the four IDX files (gzipped or not) with their published MD5 checksums verified. The folder is resolved by
/// <see cref="DataRoot"/> (default <c>/usr/share/datasets/fashion-mnist</c>, from Debian's
/// <c>dataset-fashion-mnist</c> package). Pixels stay bytes in memory (47 MB for the training set).
/// </summary>
public sealed class FashionMnist : MnistLayoutDataset
{
    /// <summary>The dataset's folder name under <see cref="DataRoot"/>.</summary>
    public const string FolderName = "fashion-mnist";

    /// <summary>How to install the files when they are missing.</summary>
    public const string InstallHint = "Install them with `sudo apt-get install dataset-fashion-mnist` (files go to /usr/share/datasets/fashion-mnist).";

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Accepted MD5s by file name: the published .gz files (Fashion-MNIST README) and the published raw files
    /// (the decompressed content, which also validates re-compressed copies such as Debian's).
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> KnownMd5 { get; } = new Dictionary<string, string[]>
    {
        ["train-images-idx3-ubyte.gz"] = ["8d4fb7e6c68d591d4c3dfef9ec88bf0d"],
        ["train-labels-idx1-ubyte.gz"] = ["25c81989df183df01b3e8a0aad5dffbe"],
        ["t10k-images-idx3-ubyte.gz"] = ["bef4ecab320f06d8554ea6380940ec79"],
        ["t10k-labels-idx1-ubyte.gz"] = ["bb300cfdad3c16e7a12a480ee83cd310"],
        ["train-images-idx3-ubyte"] = ["f4a8712d7a061bf5bd6d2ca38dc4d50a"],
        ["train-labels-idx1-ubyte"] = ["9018921c3c673c538a1fc5bad174d6f9"],
        ["t10k-images-idx3-ubyte"] = ["8181f5470baa50b63fa0f6fddb340f0a"],
        ["t10k-labels-idx1-ubyte"] = ["15d484375f8d13e6eb1aabb0c3f46965"],
    };

    /// <summary>Loads the training (<paramref name="train"/>) or test split.</summary>
    /// <param name="root">The folder holding the files (default: see <see cref="DataRoot"/>).</param>
    /// <param name="train">Training split (60,000) or test split (10,000).</param>
    /// <param name="flatten">Images as [784] instead of [1, 28, 28].</param>
    /// <param name="transform">Optional per-sample transform of the float32 image.</param>
    /// <param name="verifyChecksums">Check the MD5 of each file against <see cref="KnownMd5"/>.</param>
    public FashionMnist(string? root = null, bool train = true, bool flatten = false, ITransform? transform = null, bool verifyChecksums = true)
        : base("Fashion-MNIST", DataRoot.Resolve(FolderName, root), train, verifyChecksums ? KnownMd5 : null, InstallHint, ClassNames, flatten, transform)
    {
    }

    /// <summary>Whether the four files are present in the folder <paramref name="root"/> resolves to.</summary>
    public static bool IsAvailable(string? root = null) => FilesPresent(DataRoot.Resolve(FolderName, root));
}

using Dendrite.Data.Datasets;

namespace Dendrite.Cli.Lab;

/// <summary>Where the lab finds Fashion-MNIST.</summary>
public static class LabData
{
    /// <summary>How to install Fashion-MNIST, shown when it is missing.</summary>
    public const string InstallHint =
        "Fashion-MNIST is not installed: install it with `sudo apt-get install dataset-fashion-mnist` " +
        "(or put the four *-idx?-ubyte[.gz] files in $DENDRITE_DATA/fashion-mnist)";

    /// <summary>The Fashion-MNIST folder if all four files are there (plain or gzipped), else null.</summary>
    public static string? FindFashionMnist(string? root = null) =>
        FashionMnist.IsAvailable(root) ? DataRoot.Resolve(FashionMnist.FolderName, root) : null;
}

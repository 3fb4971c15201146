namespace Dendrite.Cli.Lab;

/// <summary>Where the lab finds its data sets.</summary>
public static class LabData
{
    /// <summary>The environment variable that overrides the Fashion-MNIST folder.</summary>
    public const string FashionMnistVariable = "DENDRITE_FASHION_MNIST";

    /// <summary>Where the Debian package installs Fashion-MNIST.</summary>
    public const string DefaultFashionMnistDir = "/usr/share/datasets/fashion-mnist";

    /// <summary>How to install Fashion-MNIST, shown when it is missing.</summary>
    public const string InstallHint =
        "Fashion-MNIST is not installed: install it with `sudo apt-get install dataset-fashion-mnist` " +
        $"(or put the four *-idx?-ubyte[.gz] files in a folder and set {FashionMnistVariable} to it)";

    private static readonly string[] Files =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>The Fashion-MNIST folder if all four files are there (plain or gzipped), else null.</summary>
    public static string? FindFashionMnist(string? overrideDir = null)
    {
        string dir = overrideDir ?? Environment.GetEnvironmentVariable(FashionMnistVariable) ?? DefaultFashionMnistDir;
        bool complete = Files.All(f => File.Exists(Path.Combine(dir, f)) || File.Exists(Path.Combine(dir, f + ".gz")));
        return complete ? dir : null;
    }
}

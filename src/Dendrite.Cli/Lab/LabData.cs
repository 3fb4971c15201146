using Dendrite.Data.Datasets;

namespace Dendrite.Cli.Lab;

/// <summary>Where the lab finds Fashion-MNIST, and what to say when it does not.</summary>
public static class LabData
{
    /// <summary>How to install Fashion-MNIST system-wide.</summary>
    public const string InstallCommand = "sudo apt-get install dataset-fashion-mnist";

    /// <summary>The Fashion-MNIST folder if all four files are there (plain or gzipped), else null.</summary>
    public static string? FindFashionMnist(string? root = null) =>
        FashionMnist.IsAvailable(root) ? DataRoot.Resolve(FashionMnist.FolderName, root) : null;

    /// <summary>
    /// Why Fashion-MNIST was not found, and what to do: where it was looked for (the folder given, $DENDRITE_DATA, or
    /// the system folder) decides whether installing the package helps.
    /// </summary>
    public static string MissingFashionMnist(string? root = null) => MissingFashionMnist(root, Environment.GetEnvironmentVariable(DataRoot.EnvironmentVariable));

    internal static string MissingFashionMnist(string? root, string? env)
    {
        const string files = "the four *-idx?-ubyte[.gz] files";
        if (!string.IsNullOrEmpty(root))
            return $"Fashion-MNIST was not found in {root}: put {files} there";
        if (!string.IsNullOrEmpty(env))
            return $"Fashion-MNIST was not found in {Path.Combine(env, FashionMnist.FolderName)} ({DataRoot.EnvironmentVariable}={env}): " +
                   $"put {files} there, or unset {DataRoot.EnvironmentVariable} to use {Path.Combine(DataRoot.SystemFolder, FashionMnist.FolderName)}";
        return $"Fashion-MNIST is not installed: install it with `{InstallCommand}` (or put {files} in ${DataRoot.EnvironmentVariable}/{FashionMnist.FolderName})";
    }
}

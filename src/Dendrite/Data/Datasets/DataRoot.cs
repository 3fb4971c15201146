namespace Dendrite.Data.Datasets;

/// <summary>
/// Where dataset files are looked for. A dataset's folder is, in order: the <c>root</c> argument given to its
/// constructor (the folder holding the files themselves); else <c>$DENDRITE_DATA/&lt;folder&gt;</c> when the
/// <c>DENDRITE_DATA</c> environment variable is set (for example <c>$DENDRITE_DATA/fashion-mnist</c>,
/// <c>$DENDRITE_DATA/mnist</c>, <c>$DENDRITE_DATA/cifar-10-batches-bin</c>); else the system folder
/// <c>/usr/share/datasets/&lt;folder&gt;</c> used by Debian's dataset packages.
/// </summary>
public static class DataRoot
{
    /// <summary>The environment variable naming a folder with one sub-folder per dataset.</summary>
    public const string EnvironmentVariable = "DENDRITE_DATA";

    /// <summary>The system-wide dataset folder.</summary>
    public const string SystemFolder = "/usr/share/datasets";

    /// <summary>The folder to read dataset <paramref name="folderName"/> from (see the class remarks for the order).</summary>
    public static string Resolve(string folderName, string? root) =>
        Resolve(folderName, root, Environment.GetEnvironmentVariable(EnvironmentVariable));

    internal static string Resolve(string folderName, string? root, string? env)
    {
        ArgumentNullException.ThrowIfNull(folderName);
        if (!string.IsNullOrEmpty(root))
            return root;
        return string.IsNullOrEmpty(env) ? Path.Combine(SystemFolder, folderName) : Path.Combine(env, folderName);
    }

    /// <summary>The first of <paramref name="names"/> that exists in <paramref name="folder"/>, or null.</summary>
    internal static string? FindFile(string folder, params string[] names)
    {
        foreach (var n in names)
        {
            string p = Path.Combine(folder, n);
            if (File.Exists(p))
                return p;
        }
        return null;
    }
}

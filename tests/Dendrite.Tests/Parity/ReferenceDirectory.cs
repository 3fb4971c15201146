namespace Dendrite.Tests.Parity;

/// <summary>
/// Where the PyTorch reference files live: DENDRITE_REFERENCE_DIR when set, else ../shared/reference beside the
/// repository root (the folder holding Dendrite.slnx, found by walking up from the test assembly).
/// </summary>
internal static class ReferenceDirectory
{
    /// <summary>The reference folder, or null when neither the variable is set nor the repository root is found.</summary>
    public static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("DENDRITE_REFERENCE_DIR");
        if (!string.IsNullOrEmpty(env))
            return env;
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dendrite.slnx")))
            dir = dir.Parent;
        return dir is null ? null : Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "reference"));
    }
}

using System.Text.Json;

namespace Dendrite.Tests.Optim;

/// <summary>
/// Reads the PyTorch reference files: from DENDRITE_REFERENCE_DIR, else ../shared/reference beside the repository
/// root (the folder holding Dendrite.slnx, found by walking up from the test assembly). A missing file throws.
/// </summary>
internal static class ReferenceFiles
{
    public static string Directory => Parity.ReferenceDirectory.Find()
        ?? throw new DirectoryNotFoundException($"Dendrite.slnx not found above {AppContext.BaseDirectory}; set DENDRITE_REFERENCE_DIR.");

    /// <summary>Every JSON object of a .jsonl reference file, in order.</summary>
    public static List<JsonElement> Cases(string file)
    {
        var path = Path.Combine(Directory, file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Reference file {path} is missing (set DENDRITE_REFERENCE_DIR to the reference folder).", path);
        var result = new List<JsonElement>();
        foreach (var line in File.ReadLines(path))
            if (!string.IsNullOrWhiteSpace(line))
                result.Add(JsonDocument.Parse(line).RootElement.Clone());
        return result;
    }

    /// <summary>A float64 tensor from {"shape": [..], "data": [..]}.</summary>
    public static Tensor ReadTensor(JsonElement t)
    {
        var shape = t.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var data = t.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        return Tensor.FromArray(data).Reshape(shape).Contiguous();
    }

    public static double[] Doubles(JsonElement t) => t.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();

    /// <summary>|actual − expected| ≤ rel·|expected| (plus a tiny absolute floor for exact zeros).</summary>
    public static bool Close(double actual, double expected, double rel) =>
        Math.Abs(actual - expected) <= rel * Math.Abs(expected) + 1e-300 || actual == expected;
}

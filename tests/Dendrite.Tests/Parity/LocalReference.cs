using System.Text.Json;

namespace Dendrite.Tests.Parity;

/// <summary>
/// PyTorch reference cases generated for this repository (tests/Dendrite.Tests/Parity/Data, each file beside the
/// script that made it), as opposed to the shared read-only set in ../shared/reference. Found by walking up from the
/// test assembly to the folder holding Dendrite.slnx. Float data may hold "nan", "inf" and "-inf" strings.
/// </summary>
internal static class LocalReference
{
    /// <summary>The full path of a data file.</summary>
    public static string PathOf(string file)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dendrite.slnx")))
            dir = dir.Parent;
        if (dir is null)
            throw new DirectoryNotFoundException($"Dendrite.slnx not found above {AppContext.BaseDirectory}: the local reference data lives in the repository.");
        return Path.Combine(dir.FullName, "tests", "Dendrite.Tests", "Parity", "Data", file);
    }

    /// <summary>Every JSON object of a .jsonl data file, in order; a missing file throws.</summary>
    public static List<JsonElement> Cases(string file)
    {
        var path = PathOf(file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Reference data {path} is missing.", path);
        var result = new List<JsonElement>();
        foreach (var line in File.ReadLines(path))
            if (!string.IsNullOrWhiteSpace(line))
                result.Add(JsonDocument.Parse(line).RootElement.Clone());
        return result;
    }

    /// <summary>A tensor from {"shape", "data", "dtype"?}: Int64 when dtype is "int64", else <paramref name="floatType"/>.</summary>
    public static Tensor ReadTensor(JsonElement t, DType floatType = DType.Float64)
    {
        var shape = t.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var data = t.GetProperty("data");
        if (t.TryGetProperty("dtype", out var dt) && dt.GetString() == "int64")
            return Tensor.FromArray(data.EnumerateArray().Select(e => e.GetInt64()).ToArray()).Reshape(shape).Contiguous();
        var x = Tensor.FromArray(Doubles(t)).Reshape(shape).Contiguous();
        return floatType == DType.Float64 ? x : x.To(floatType);
    }

    /// <summary>The float data of a tensor object, with "nan", "inf" and "-inf" decoded.</summary>
    public static double[] Doubles(JsonElement t) => t.GetProperty("data").EnumerateArray().Select(e => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString() switch
        {
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            var s => throw new FormatException($"unexpected number '{s}'"),
        },
        _ => e.GetDouble(),
    }).ToArray();
}

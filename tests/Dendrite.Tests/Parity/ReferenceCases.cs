using System.Text.Json;

namespace Dendrite.Tests.Parity;

/// <summary>
/// Loads the PyTorch reference cases: from the directory in DENDRITE_REFERENCE_DIR, else ../shared/reference beside
/// the repository root (the directory holding Dendrite.slnx, found by walking up from the test assembly).
/// </summary>
public static class ReferenceCases
{
    private static readonly Lazy<(string Path, Dictionary<string, JsonElement>? Cases, List<string> Ids)> Ops = new(() => Load("ops.jsonl"));

    /// <summary>The reference directory in use.</summary>
    public static string Directory => ReferenceDirectory.Find() ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "shared", "reference"));

    /// <summary>Full path of ops.jsonl (which may not exist).</summary>
    public static string OpsPath => Ops.Value.Path;

    /// <summary>Case ids in file order, or null when the file is missing.</summary>
    public static IReadOnlyList<string>? OpIds => Ops.Value.Cases is null ? null : Ops.Value.Ids;

    /// <summary>The case object with this id.</summary>
    public static JsonElement Op(string id) => Ops.Value.Cases![id];

    private static (string, Dictionary<string, JsonElement>?, List<string>) Load(string file)
    {
        var path = Path.Combine(Directory, file);
        var ids = new List<string>();
        if (!File.Exists(path))
            return (path, null, ids);
        var cases = new Dictionary<string, JsonElement>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement.Clone();
            var id = root.GetProperty("id").GetString()!;
            cases[id] = root;
            ids.Add(id);
        }
        return (path, cases, ids);
    }

    /// <summary>
    /// A tensor from {"shape", "data", "dtype"?}: int64 tensors stay Int64, others become <paramref name="floatType"/>.
    /// </summary>
    public static Tensor ReadTensor(JsonElement t, DType floatType)
    {
        var shapeEl = t.GetProperty("shape");
        var shape = new int[shapeEl.GetArrayLength()];
        for (int i = 0; i < shape.Length; i++)
            shape[i] = shapeEl[i].GetInt32();
        var data = t.GetProperty("data");
        bool isInt = t.TryGetProperty("dtype", out var dt) && dt.GetString() == "int64";
        int n = data.GetArrayLength();
        if (isInt)
        {
            var values = new long[n];
            for (int i = 0; i < n; i++)
                values[i] = data[i].GetInt64();
            return Reshaped(Tensor.FromArray(values), shape);
        }
        var doubles = new double[n];
        for (int i = 0; i < n; i++)
            doubles[i] = data[i].GetDouble();
        var x = Reshaped(Tensor.FromArray(doubles), shape);
        return floatType == DType.Float64 ? x : x.To(floatType);
    }

    private static Tensor Reshaped(Tensor flat, int[] shape) => shape.Length == 1 && shape[0] == flat.Numel ? flat : flat.Reshape(shape);
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Dendrite.Bench.Workloads;

/// <summary>
/// One side of a <c>bench/compare</c> run: the per-run JSON objects of one program (a Dendrite build or a peer),
/// read from the <c>{Prefix}_wN.jsonl</c> files of a results folder, by (workload, thread count).
/// </summary>
/// <param name="Prefix">The file-name prefix, e.g. <c>dendrite-r2r</c> or <c>torchsharp</c>.</param>
/// <param name="Label">The column heading, e.g. <c>Dendrite R2R</c>.</param>
/// <param name="IsPeer">True for a reference framework (PyTorch, TorchSharp); false for a Dendrite build.</param>
/// <param name="Runs">The per-run objects by (workload, threads).</param>
public sealed record CompareSide(string Prefix, string Label, bool IsPeer,
    Dictionary<(string Workload, int Threads), List<JsonObject>> Runs)
{
    /// <summary>
    /// The sides bench/compare writes, in column order: <c>dendrite-r2r</c> (the ReadyToRun publish),
    /// <c>dendrite-jit</c> (the <c>dotnet build</c> output with the library image the package ships), <c>dendrite-il</c>
    /// (the <c>dotnet build</c> output with the library as IL), <c>dendrite</c> (folders written before the build was
    /// part of the file name), then the peers <c>pytorch</c> and <c>torchsharp</c>.
    /// </summary>
    public static readonly IReadOnlyList<(string Prefix, string Label, bool IsPeer)> Known =
    [
        ("dendrite-r2r", "Dendrite R2R", false),
        ("dendrite-jit", "Dendrite JIT", false),
        ("dendrite-il", "Dendrite IL", false),
        ("dendrite", "Dendrite", false),
        ("pytorch", "PyTorch", true),
        ("torchsharp", "TorchSharp", true),
    ];

    /// <summary>The runs of (<paramref name="workload"/>, <paramref name="threads"/>), empty when there are none.</summary>
    public List<JsonObject> Of(string workload, int threads) => Runs.GetValueOrDefault((workload, threads)) ?? [];

    /// <summary>Every known side that has at least one run in <paramref name="dir"/>, in <see cref="Known"/> order.</summary>
    public static List<CompareSide> LoadAll(string dir) =>
        Known.Select(k => new CompareSide(k.Prefix, k.Label, k.IsPeer, Load(dir, k.Prefix)))
             .Where(s => s.Runs.Count > 0).ToList();

    /// <summary>
    /// Per-run objects by (workload, threads) from every <c>{prefix}_*.jsonl</c> in <paramref name="dir"/>. A summary
    /// line (<c>{"workload", "reps", "by_threads": {...}}</c>, as a parent prints) contributes the runs it holds. A
    /// bare run line (<c>{"workload", "threads", ...}</c>, as a child prints) counts only in a file without summary
    /// lines: beside a summary it is the parent's echo of a run the summary already holds.
    /// </summary>
    public static Dictionary<(string Workload, int Threads), List<JsonObject>> Load(string dir, string prefix)
    {
        var runs = new Dictionary<(string, int), List<JsonObject>>();
        foreach (string file in Directory.GetFiles(dir, prefix + "_*.jsonl").Order(StringComparer.Ordinal))
        {
            var fromSummaries = new List<(string, int, JsonObject)>();
            var bare = new List<(string, int, JsonObject)>();
            foreach (string line in File.ReadLines(file))
            {
                if (Parse(line) is not JsonObject node || node["workload"] is not JsonValue name)
                    continue;
                string workload = name.GetValue<string>();
                if (node["by_threads"] is JsonObject byThreads)
                {
                    foreach (var (threads, entry) in byThreads)
                    {
                        int t = int.Parse(threads, CultureInfo.InvariantCulture);
                        foreach (var run in entry?["runs"]?.AsArray() ?? [])
                            fromSummaries.Add((workload, t, run!.AsObject()));
                    }
                }
                else if (node["threads"] is JsonValue threads)
                {
                    bare.Add((workload, threads.GetValue<int>(), node));
                }
            }
            foreach (var (workload, t, run) in fromSummaries.Count > 0 ? fromSummaries : bare)
            {
                if (!runs.TryGetValue((workload, t), out var list))
                    runs[(workload, t)] = list = [];
                list.Add(run);
            }
        }
        return runs;
    }

    private static JsonObject? Parse(string line)
    {
        if (!line.TrimStart().StartsWith('{'))
            return null;
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

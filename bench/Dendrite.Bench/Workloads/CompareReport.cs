using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Dendrite.Bench.Workloads;

/// <summary>
/// <c>report DIR</c>: reads the raw JSON lines that bench/compare saved (<c>dendrite_wN.jsonl</c>,
/// <c>pytorch_wN.jsonl</c>), pools the per-run objects of every summary line, and prints a Markdown table per
/// workload and thread count: median (min-max) of the time metric for each side, the ratio of medians
/// Dendrite/PyTorch (lower is faster; for W6 GFLOP/s the ratio is Dendrite/PyTorch throughput, higher is better),
/// the issue's target, test quality side by side and peak RSS.
/// </summary>
public static class CompareReport
{
    private sealed record Row(string Workload, string Metric, string? Quality, string? Target1, string? Target2);

    private static readonly Row[] Rows =
    [
        new("w1_moons", "train_seconds", "test_acc", "≤ 0.10", null),
        new("w2_fit_square", "train_seconds", "test_mse", "≤ 0.33", "≤ 0.33"),
        new("w3_fashion_softmax", "s_per_epoch", "test_acc", "≤ 0.33", "≤ 0.33"),
        new("w4_fashion_mlp", "s_per_epoch", "test_acc", "≤ 0.90", "≤ 0.80"),
        new("w5_fashion_cnn", "s_per_epoch", "test_acc", "≤ 0.50", "≤ 0.50"),
    ];

    private static readonly int[] GemmSizes = [128, 256, 512, 1024, 2048];

    /// <summary>Prints the table for the results folder given as the first argument.</summary>
    public static int Run(string[] args)
    {
        if (args.Length == 0 || !Directory.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: report RESULTS_DIR   (a folder written by bench/compare)");
            return 2;
        }
        var dendrite = Load(args[0], "dendrite");
        var pytorch = Load(args[0], "pytorch");
        Console.WriteLine(Format(dendrite, pytorch));
        return 0;
    }

    /// <summary>Per-run objects by (workload, threads) from every <c>{side}_*.jsonl</c> in <paramref name="dir"/>.</summary>
    public static Dictionary<(string Workload, int Threads), List<JsonObject>> Load(string dir, string side)
    {
        var runs = new Dictionary<(string, int), List<JsonObject>>();
        foreach (string file in Directory.GetFiles(dir, side + "_*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (string line in File.ReadLines(file))
            {
                if (!line.TrimStart().StartsWith('{'))
                    continue;
                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(line);
                }
                catch (System.Text.Json.JsonException)
                {
                    continue;
                }
                if (node?["by_threads"] is not JsonObject byThreads)
                    continue; // per-run echo lines are also inside the summary line
                string workload = node["workload"]!.GetValue<string>();
                foreach (var (threads, entry) in byThreads)
                {
                    var key = (workload, int.Parse(threads, CultureInfo.InvariantCulture));
                    if (!runs.TryGetValue(key, out var list))
                        runs[key] = list = [];
                    foreach (var run in entry!["runs"]!.AsArray())
                        list.Add(run!.AsObject());
                }
            }
        }
        return runs;
    }

    /// <summary>The Markdown report.</summary>
    public static string Format(Dictionary<(string Workload, int Threads), List<JsonObject>> dendrite,
        Dictionary<(string Workload, int Threads), List<JsonObject>> pytorch)
    {
        var sb = new StringBuilder();
        var threadCounts = dendrite.Keys.Concat(pytorch.Keys).Select(k => k.Threads).Distinct().Order().ToArray();
        sb.AppendLine("| workload | threads | metric | Dendrite median (min-max) | PyTorch median (min-max) | ratio D/P | target | quality D | quality P | peak RSS MiB D | peak RSS MiB P | runs D/P |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in Rows)
        {
            foreach (int t in threadCounts)
            {
                var d = dendrite.GetValueOrDefault((row.Workload, t)) ?? [];
                var p = pytorch.GetValueOrDefault((row.Workload, t)) ?? [];
                if (d.Count == 0 && p.Count == 0)
                    continue;
                double? dm = Median(d, row.Metric), pm = Median(p, row.Metric);
                string target = (t == 1 ? row.Target1 : row.Target2) ?? "";
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"| {row.Workload} | {t} | {row.Metric} | {Spread(d, row.Metric, "G4")} | {Spread(p, row.Metric, "G4")} | {Ratio(dm, pm)} | {target} | {Quality(d, row)} | {Quality(p, row)} | {Spread(d, "peak_rss_mib", "F0")} | {Spread(p, "peak_rss_mib", "F0")} | {d.Count}/{p.Count} |");
            }
        }

        // W6: GFLOP/s of the median call per size (the twin's torch_n{n} against dendrite_n{n}) and the Linear layer.
        bool anyGemm = threadCounts.Any(t => dendrite.ContainsKey(("w6_gemm", t)) || pytorch.ContainsKey(("w6_gemm", t)));
        if (anyGemm)
        {
            sb.AppendLine();
            sb.AppendLine("| w6_gemm | threads | Dendrite median (min-max) | PyTorch median (min-max) | ratio D/P | target |");
            sb.AppendLine("|---|---|---|---|---|---|");
            foreach (int t in threadCounts)
            {
                var d = dendrite.GetValueOrDefault(("w6_gemm", t)) ?? [];
                var p = pytorch.GetValueOrDefault(("w6_gemm", t)) ?? [];
                foreach (int n in GemmSizes)
                {
                    string dk = $"dendrite_n{n}", pk = $"torch_n{n}";
                    sb.AppendLine(CultureInfo.InvariantCulture,
                        $"| GEMM n={n} GFLOP/s | {t} | {Spread(d, dk, "F0")} | {Spread(p, pk, "F0")} | {Ratio(Median(d, dk), Median(p, pk))} | {(n <= 256 ? "≥ 1.0" : "≥ 0.90")} |");
                }
                foreach (var (key, label) in new[] { ("linear_fwd_ms", "Linear fwd ms"), ("linear_fwdbwd_ms", "Linear fwd+bwd (dW, db) ms"), ("linear_fwdbwd_dx_ms", "Linear fwd+bwd (dW, db, dX) ms") })
                    sb.AppendLine(CultureInfo.InvariantCulture,
                        $"| {label} | {t} | {Spread(d, key, "F3")} | {Spread(p, key, "F3")} | {Ratio(Median(d, key), Median(p, key))} | |");
            }
            sb.AppendLine();
            sb.AppendLine("W6 GFLOP/s ratios are Dendrite/PyTorch throughput (higher is better); all other ratios are time (lower is faster).");
        }
        return sb.ToString();
    }

    private static double? Median(List<JsonObject> runs, string key)
    {
        var v = Values(runs, key);
        return v.Length == 0 ? null : Stats.Median(v);
    }

    private static double[] Values(List<JsonObject> runs, string key) =>
        runs.Where(r => r[key] is JsonValue).Select(r => r[key]!.GetValue<double>()).Where(double.IsFinite).ToArray();

    private static string Spread(List<JsonObject> runs, string key, string format)
    {
        var v = Values(runs, key);
        if (v.Length == 0)
            return "–";
        string f(double x) => x.ToString(format, CultureInfo.InvariantCulture);
        return v.Length == 1 ? f(v[0]) : $"{f(Stats.Median(v))} ({f(v.Min())}-{f(v.Max())})";
    }

    private static string Ratio(double? d, double? p) =>
        d is double a && p is double b && b != 0 ? (a / b).ToString("F3", CultureInfo.InvariantCulture) : "–";

    private static string Quality(List<JsonObject> runs, Row row)
    {
        if (row.Quality is null)
            return "";
        string format = row.Quality == "test_mse" ? "G3" : "F4";
        string q = $"{row.Quality} {Spread(runs, row.Quality, format)}";
        return row.Quality == "test_acc" && Values(runs, "test_loss").Length > 0 ? q + $", loss {Spread(runs, "test_loss", "F4")}" : q;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Dendrite.Bench.Workloads;

/// <summary>
/// <c>report DIR</c>: reads the raw JSON lines that bench/compare saved (<c>dendrite-r2r_wN.jsonl</c>,
/// <c>dendrite-jit_wN.jsonl</c>, <c>pytorch_wN.jsonl</c>, <c>torchsharp_wN.jsonl</c>; see <see cref="CompareSide"/>),
/// pools the runs of each side and prints Markdown tables per workload and thread count: the median (min-max) of the
/// time metric for every side, which peer was faster, the ratio of medians of each Dendrite build against the
/// faster peer (lower is faster; for W6 GFLOP/s it is the throughput ratio, higher is better), the issue's target,
/// then test quality and peak RSS of every side.
/// </summary>
public static class CompareReport
{
    private sealed record Row(string Workload, string Metric, string? Quality, string? Target1, string? Target2);

    private static readonly Row[] Rows =
    [
        // Issue #15's targets: at 1 thread the JIT build (dotnet build) and the ReadyToRun publish, at 2 threads R2R.
        new("w1_moons", "train_seconds", "test_acc", "JIT ≤ 0.15, R2R ≤ 0.08", "≤ 0.10"),
        new("w2_fit_square", "train_seconds", "test_mse", "JIT ≤ 0.30, R2R ≤ 0.20", "≤ 0.25"),
        new("w3_fashion_softmax", "s_per_epoch", "test_acc", "JIT ≤ 0.35, R2R ≤ 0.30", "≤ 0.30"),
        new("w4_fashion_mlp", "s_per_epoch", "test_acc", "JIT ≤ 0.75, R2R ≤ 0.70", "≤ 0.70"),
        new("w5_fashion_cnn", "s_per_epoch", "test_acc", "JIT ≤ 0.50, R2R ≤ 0.45", "≤ 0.45"),
    ];

    private static readonly int[] GemmSizes = [128, 256, 512, 1024, 2048];

    /// <summary>Issue #15's GEMM target: at least 1.5 times the faster peer's GFLOP/s, every size, build and thread count.</summary>
    private const string GemmTarget = "≥ 1.5";

    private static readonly (string Key, string Label)[] LinearRows =
    [
        ("linear_fwd_ms", "Linear fwd ms"),
        ("linear_fwdbwd_ms", "Linear fwd+bwd (dW, db) ms"),
        ("linear_fwdbwd_dx_ms", "Linear fwd+bwd (dW, db, dX) ms"),
    ];

    /// <summary>Prints the tables for the results folder given as the first argument.</summary>
    public static int Run(string[] args)
    {
        if (args.Length == 0 || !Directory.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: report RESULTS_DIR   (a folder written by bench/compare)");
            return 2;
        }
        var sides = CompareSide.LoadAll(args[0]);
        if (sides.Count == 0)
        {
            Console.Error.WriteLine($"report: no runs in {args[0]} (expected dendrite-r2r_*, dendrite-jit_*, pytorch_*, torchsharp_*.jsonl)");
            return 1;
        }
        Console.WriteLine(Format(sides));
        return 0;
    }

    /// <summary>Per-run objects by (workload, threads) from every <c>{side}_*.jsonl</c> in <paramref name="dir"/>
    /// (<see cref="CompareSide.Load"/>).</summary>
    public static Dictionary<(string Workload, int Threads), List<JsonObject>> Load(string dir, string side) =>
        CompareSide.Load(dir, side);

    /// <summary>The Markdown report of one Dendrite side against PyTorch.</summary>
    public static string Format(Dictionary<(string Workload, int Threads), List<JsonObject>> dendrite,
        Dictionary<(string Workload, int Threads), List<JsonObject>> pytorch) =>
        Format([new CompareSide("dendrite", "Dendrite", false, dendrite), new CompareSide("pytorch", "PyTorch", true, pytorch)]);

    /// <summary>
    /// The Markdown report of <paramref name="sides"/> (columns in the given order): a speed table, a quality and
    /// memory table, and the W6 GEMM table when any side ran W6.
    /// </summary>
    public static string Format(IReadOnlyList<CompareSide> sides)
    {
        var sb = new StringBuilder();
        var threadCounts = sides.SelectMany(s => s.Runs.Keys).Select(k => k.Threads).Distinct().Order().ToArray();
        var rows = Rows.SelectMany(r => threadCounts.Select(t => (Row: r, Threads: t)))
                       .Where(x => sides.Any(s => s.Of(x.Row.Workload, x.Threads).Count > 0)).ToList();
        string runsHeader = "runs " + string.Join("/", sides.Select(Short));

        if (rows.Count > 0)
        {
            AppendHeader(sb, ["workload", "threads", "metric", .. SpeedHeaders(sides, " median (min-max)"), "target", runsHeader]);
            foreach (var (row, t) in rows)
            {
                string speed = SpeedCells(sides, s => s.Of(row.Workload, t), _ => row.Metric, "G4", higherIsBetter: false);
                string target = (t == 1 ? row.Target1 : row.Target2) ?? "";
                string counts = string.Join("/", sides.Select(s => s.Of(row.Workload, t).Count));
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {row.Workload} | {t} | {row.Metric} | {speed} | {target} | {counts} |");
            }

            sb.AppendLine();
            AppendHeader(sb, ["workload", "threads", .. sides.Select(s => "quality " + s.Label), .. sides.Select(s => "peak RSS MiB " + s.Label)]);
            foreach (var (row, t) in rows)
            {
                var cells = sides.Select(s => Quality(s.Of(row.Workload, t), row.Quality))
                    .Concat(sides.Select(s => Spread(s.Of(row.Workload, t), "peak_rss_mib", "F0")));
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {row.Workload} | {t} | {string.Join(" | ", cells)} |");
            }
        }

        // W6: GFLOP/s of the median call per size (peers' torch_n{n} against dendrite_n{n}) and the Linear layer.
        if (threadCounts.Any(t => sides.Any(s => s.Of("w6_gemm", t).Count > 0)))
        {
            if (sb.Length > 0)
                sb.AppendLine();
            AppendHeader(sb, ["w6_gemm", "threads", .. SpeedHeaders(sides, " median (min-max)"), "target"]);
            foreach (int t in threadCounts)
            {
                List<JsonObject> Gemm(CompareSide s) => s.Of("w6_gemm", t);
                foreach (int n in GemmSizes)
                {
                    string cells = SpeedCells(sides, Gemm, s => s.IsPeer ? $"torch_n{n}" : $"dendrite_n{n}", "F0", higherIsBetter: true);
                    sb.AppendLine(CultureInfo.InvariantCulture, $"| GEMM n={n} GFLOP/s | {t} | {cells} | {GemmTarget} |");
                }
                foreach (var (key, label) in LinearRows)
                    sb.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {t} | {SpeedCells(sides, Gemm, _ => key, "F3", higherIsBetter: false)} | |");
            }
        }

        sb.AppendLine();
        sb.Append(sides.Count(s => s.IsPeer) > 1
            ? "Each ratio is a Dendrite build's median over the faster peer's median in that row (the peer named under \"faster peer\"). "
            : sides.Any(s => s.IsPeer) ? "Each ratio is a Dendrite build's median over the peer's median. " : "No peer ran: there are no ratios. ");
        sb.AppendLine("Times: lower is faster; W6 GFLOP/s: the throughput ratio, higher is faster.");
        return sb.ToString();
    }

    /// <summary>Column headings of <see cref="SpeedCells"/>: one per side, the faster peer when there are two or
    /// more peers, and one ratio per Dendrite build when there is a peer.</summary>
    private static IEnumerable<string> SpeedHeaders(IReadOnlyList<CompareSide> sides, string suffix)
    {
        var peers = sides.Where(s => s.IsPeer).ToList();
        foreach (var s in sides)
            yield return s.Label + suffix;
        if (peers.Count > 1)
            yield return "faster peer";
        if (peers.Count == 0)
            yield break;
        string against = peers.Count == 1 ? peers[0].Label : "faster peer";
        foreach (var d in sides.Where(s => !s.IsPeer))
            yield return $"ratio {Short(d)}/{against}";
    }

    /// <summary>The cells under <see cref="SpeedHeaders"/> for one metric, joined with <c> | </c>.</summary>
    private static string SpeedCells(IReadOnlyList<CompareSide> sides, Func<CompareSide, List<JsonObject>> runs,
        Func<CompareSide, string> key, string format, bool higherIsBetter)
    {
        var cells = sides.Select(s => Spread(runs(s), key(s), format)).ToList();
        var peers = sides.Where(s => s.IsPeer).ToList();
        if (peers.Count > 0)
        {
            var (faster, best) = Faster(peers, p => Median(runs(p), key(p)), higherIsBetter);
            if (peers.Count > 1)
                cells.Add(faster?.Label ?? "–");
            cells.AddRange(sides.Where(s => !s.IsPeer).Select(d => Ratio(Median(runs(d), key(d)), best)));
        }
        return string.Join(" | ", cells);
    }

    /// <summary>The peer with the best median (lowest time, or highest throughput), or null when none has one.</summary>
    private static (CompareSide? Peer, double? Median) Faster(IEnumerable<CompareSide> peers,
        Func<CompareSide, double?> median, bool higherIsBetter)
    {
        CompareSide? best = null;
        double? value = null;
        foreach (var p in peers)
        {
            if (median(p) is not double m)
                continue;
            if (value is not double v || (higherIsBetter ? m > v : m < v))
                (best, value) = (p, m);
        }
        return (best, value);
    }

    private static void AppendHeader(StringBuilder sb, string[] columns)
    {
        sb.AppendLine("| " + string.Join(" | ", columns) + " |");
        sb.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", columns.Length)));
    }

    /// <summary>The label without "Dendrite " for a Dendrite build ("R2R", "JIT"), else the label.</summary>
    private static string Short(CompareSide s) =>
        !s.IsPeer && s.Label.StartsWith("Dendrite ", StringComparison.Ordinal) ? s.Label["Dendrite ".Length..] : s.Label;

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

    private static string Quality(List<JsonObject> runs, string? quality)
    {
        if (quality is null)
            return "";
        if (runs.Count == 0)
            return "–";
        string format = quality == "test_mse" ? "G3" : "F4";
        string q = $"{quality} {Spread(runs, quality, format)}";
        return quality == "test_acc" && Values(runs, "test_loss").Length > 0 ? q + $", loss {Spread(runs, "test_loss", "F4")}" : q;
    }
}

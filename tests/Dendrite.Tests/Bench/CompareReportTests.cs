using Dendrite.Bench.Workloads;

namespace Dendrite.Tests.Bench;

/// <summary>
/// The tables of <c>Dendrite.Bench report</c> from fixed JSON lines: both Dendrite builds and both peers, the faster
/// peer per row (lowest time, highest GFLOP/s) and the TorchSharp twin's bare child lines.
/// </summary>
public class CompareReportTests
{
    private static string Run(string workload, string fields) =>
        "{\"workload\":\"" + workload + "\",\"reps\":1,\"by_threads\":{\"1\":{\"runs\":[{" + fields + "}]}}}";

    private static string WithFolder(Func<string, string> body, params (string File, string[] Lines)[] files)
    {
        string dir = Directory.CreateTempSubdirectory("dendrite-report-").FullName;
        try
        {
            foreach (var (file, lines) in files)
                File.WriteAllLines(Path.Combine(dir, file), lines);
            return body(dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void RatiosAreAgainstTheFasterPeerForEachDendriteBuild()
    {
        string table = WithFolder(dir => CompareReport.Format(CompareSide.LoadAll(dir)),
            ("dendrite-r2r_w1.jsonl",
            [
                """{"workload":"w1_moons","threads":1,"train_seconds":0.1}""", // the parent's echo: inside the summary too
                Run("w1_moons", "\"train_seconds\":0.1,\"test_acc\":0.89,\"peak_rss_mib\":44"),
                Run("w1_moons", "\"train_seconds\":0.3,\"test_acc\":0.89,\"peak_rss_mib\":46"),
            ]),
            ("dendrite-jit_w1.jsonl", [Run("w1_moons", "\"train_seconds\":0.4,\"test_acc\":0.89,\"peak_rss_mib\":60")]),
            ("pytorch_w1.jsonl", [Run("w1_moons", "\"train_seconds\": 0.8, \"test_acc\": 0.89, \"peak_rss_mib\": 238")]),
            // TorchSharp children: bare run lines, no summary.
            ("torchsharp_w1.jsonl",
            [
                """{"workload": "w1_moons", "threads": 1, "train_seconds": 0.5, "test_acc": 0.89, "peak_rss_mib": 300}""",
                """{"workload": "w1_moons", "threads": 1, "train_seconds": 0.7, "test_acc": 0.89, "peak_rss_mib": 310}""",
            ]));

        Assert.Contains("| workload | threads | metric | Dendrite R2R median (min-max) | Dendrite JIT median (min-max) | PyTorch median (min-max) | TorchSharp median (min-max) | faster peer | ratio R2R/faster peer | ratio JIT/faster peer | target | runs R2R/JIT/PyTorch/TorchSharp |", table);
        // TorchSharp's median 0.6 beats PyTorch's 0.8: 0.2 / 0.6 and 0.4 / 0.6.
        Assert.Contains("| w1_moons | 1 | train_seconds | 0.2 (0.1-0.3) | 0.4 | 0.8 | 0.6 (0.5-0.7) | TorchSharp | 0.333 | 0.667 | JIT ≤ 0.15, R2R ≤ 0.08 | 2/1/1/2 |", table);
        Assert.Contains("| w1_moons | 1 | test_acc 0.8900 (0.8900-0.8900) | test_acc 0.8900 | test_acc 0.8900 | test_acc 0.8900 (0.8900-0.8900) | 45 (44-46) | 60 | 238 | 305 (300-310) |", table);
        Assert.Contains("faster peer's median", table);
    }

    [Fact]
    public void GemmThroughputPicksTheHigherPeer()
    {
        string table = WithFolder(dir => CompareReport.Format(CompareSide.LoadAll(dir)),
            ("dendrite-r2r_w6.jsonl", [Run("w6_gemm", "\"dendrite_n128\":200,\"linear_fwd_ms\":0.5")]),
            ("pytorch_w6.jsonl", [Run("w6_gemm", "\"torch_n128\":100,\"numpy_n128\":95,\"linear_fwd_ms\":1.0")]),
            ("torchsharp_w6.jsonl", ["""{"workload": "w6_gemm", "threads": 1, "torch_n128": 90, "linear_fwd_ms": 0.8}"""]));

        // GFLOP/s: PyTorch's 100 is the faster peer, 200 / 100; Linear ms: TorchSharp's 0.8, 0.5 / 0.8.
        Assert.Contains("| GEMM n=128 GFLOP/s | 1 | 200 | 100 | 90 | PyTorch | 2.000 | ≥ 1.5 |", table);
        Assert.Contains("| GEMM n=256 GFLOP/s | 1 | – | – | – | – | – | ≥ 1.5 |", table);
        Assert.Contains("| Linear fwd ms | 1 | 0.500 | 1.000 | 0.800 | TorchSharp | 0.625 | |", table);
        Assert.DoesNotContain("| workload |", table); // no W1-W5 runs, no W1-W5 tables
    }

    [Fact]
    public void WithoutTorchSharpTheTableIsTwoWay()
    {
        var sides = WithFolder(dir => string.Join(",", CompareSide.LoadAll(dir).Select(s => s.Label)),
            ("dendrite-jit_w2.jsonl", [Run("w2_fit_square", "\"train_seconds\":0.1,\"test_mse\":1.82e-05")]),
            ("pytorch_w2.jsonl", [Run("w2_fit_square", "\"train_seconds\":0.4,\"test_mse\":1.82e-05")]));
        Assert.Equal("Dendrite JIT,PyTorch", sides);

        string table = WithFolder(dir => CompareReport.Format(CompareSide.LoadAll(dir)),
            ("dendrite-jit_w2.jsonl", [Run("w2_fit_square", "\"train_seconds\":0.1,\"test_mse\":1.82e-05")]),
            ("pytorch_w2.jsonl", [Run("w2_fit_square", "\"train_seconds\":0.4,\"test_mse\":1.82e-05")]));
        Assert.Contains("| workload | threads | metric | Dendrite JIT median (min-max) | PyTorch median (min-max) | ratio JIT/PyTorch | target | runs JIT/PyTorch |", table);
        Assert.Contains("| w2_fit_square | 1 | train_seconds | 0.1 | 0.4 | 0.250 | JIT ≤ 0.30, R2R ≤ 0.20 | 1/1 |", table);
        Assert.Contains("| w2_fit_square | 1 | test_mse 1.82E-05 | test_mse 1.82E-05 | – | – |", table);
        Assert.DoesNotContain("faster peer", table);
    }
}

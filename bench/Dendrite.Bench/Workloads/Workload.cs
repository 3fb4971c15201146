using System.Text.Json.Nodes;

namespace Dendrite.Bench.Workloads;

/// <summary>
/// One reference workload: its command name (<c>w1</c>), its JSON name as the PyTorch twin spells it
/// (<c>w1_moons</c>), the run itself (thread count and overrides in, the child's JSON object out), and the numeric
/// result keys the parent summarizes as median/min/max over repetitions.
/// </summary>
public sealed record Workload(string Command, string Name, Func<int, WorkloadOptions, JsonObject> Run, string[] SummaryKeys)
{
    /// <summary>All six, in order.</summary>
    public static IReadOnlyList<Workload> All { get; } =
    [
        new("w1", W1Moons.Name, W1Moons.Run, ["train_seconds", "us_per_epoch", "test_acc", "test_loss"]),
        new("w2", W2FitSquare.Name, W2FitSquare.Run, ["train_seconds", "ms_per_step", "test_mse"]),
        new("w3", W3FashionSoftmax.Name, W3FashionSoftmax.Run, ClassifierKeys),
        new("w4", W4FashionMlp.Name, W4FashionMlp.Run, ClassifierKeys),
        new("w5", W5FashionCnn.Name, W5FashionCnn.Run, ClassifierKeys),
        new("w6", W6Gemm.Name, W6Gemm.Run, W6Gemm.SummaryKeys),
    ];

    private static string[] ClassifierKeys =>
        ["s_per_epoch", "first_epoch_s", "test_acc", "test_loss", "peak_rss_mib", "rss_after_load_mib"];
}

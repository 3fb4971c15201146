using Dendrite.Bench.Workloads;
using Dendrite.NN;
using Dendrite.Tests.Data;

namespace Dendrite.Tests.Bench;

/// <summary>
/// The bench's ports of the six peer workloads are the same jobs as the PyTorch twins: the SplitMix64 stream, the
/// first data points, first weights and first permutation match the README's spot values, and short runs of each
/// workload reproduce the twins' losses (reference numbers from torch 1.13 running the twins' code with the same
/// shortening, at 1 thread). The workloads set <see cref="Threads.Count"/>; each test restores it.
/// </summary>
public sealed class PeerWorkloadTests : IDisposable
{
    private readonly Backends.ThreadCountScope _threads = new(Threads.Count);

    /// <summary>Restores the thread count a workload changed.</summary>
    public void Dispose() => _threads.Dispose();

    [Fact]
    public void SplitMix64TestVector()
    {
        var g = new Generator(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, g.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, g.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, g.NextUInt64());
    }

    [Fact]
    public void W1DataAndFirstLayerMatchSpotValues()
    {
        var (x, y) = W1Moons.Data();
        Assert.Equal(new[] { 1000, 2 }, x.Shape);
        Assert.Equal(new[] { 1000, 1 }, y.Shape);
        var xv = x.ToArray<float>();
        Assert.Equal(0.8893985f, xv[0], 1e-6f);
        Assert.Equal(0.6340643f, xv[1], 1e-6f);
        Assert.Equal(new float[] { 0, 1, 1, 0 }, y.ToArray<float>()[..4]);

        var model = W1Moons.Model();
        var w = ((Linear)model[0]).Weight.ToArray<float>();
        Assert.Equal(-0.0071460f, w[0], 1e-6f);
        Assert.Equal(0.1301688f, w[1], 1e-6f);
        Assert.All(((Linear)model[2]).Bias!.ToArray<float>(), b => Assert.Equal(0f, b));
    }

    [Fact]
    public void W2DataMatchesSpotValues()
    {
        var (xtr, ytr, xte, _) = W2FitSquare.Data();
        Assert.Equal(new[] { 10_000, 1 }, xtr.Shape);
        Assert.Equal(new[] { 1_000, 1 }, xte.Shape);
        var xv = xtr.ToArray<float>();
        Assert.Equal(-1.5461986f, xv[0], 1e-6f);
        Assert.Equal(0.8011740f, xv[1], 1e-6f);
        Assert.Equal(0.4518987f, xv[2], 1e-6f);
        Assert.Equal(xv[0] * xv[0], ytr.ToArray<float>()[0]);
    }

    [Fact]
    public void W3PermutationAndWeightsMatchSpotValues()
    {
        int[] perm = new Generator(11).Permutation(60_000);
        Assert.Equal(new[] { 48956, 41053, 41191, 19846, 56744 }, perm[..5]);
        var w = W3FashionSoftmax.Model().Weight.ToArray<float>();
        Assert.Equal(-0.0333349f, w[0], 1e-7f);
        Assert.Equal(0.0167405f, w[1], 1e-7f);
    }

    [Fact]
    public void ModelsHaveTheTwinsParameterShapesInModuleOrder()
    {
        Assert.Equal(new[] { "0.weight:5,2", "0.bias:5", "2.weight:1,5", "2.bias:1" }, Shapes(W1Moons.Model()));
        Assert.Equal(new[] { "0.weight:100,1", "0.bias:100", "2.weight:100,100", "2.bias:100", "4.weight:1,100", "4.bias:1" }, Shapes(W2FitSquare.Model()));
        Assert.Equal(new[] { "0.weight:256,784", "0.bias:256", "2.weight:10,256", "2.bias:10" }, Shapes(W4FashionMlp.Model()));
        Assert.Equal(new[]
        {
            "0.weight:6,1,5,5", "0.bias:6", "3.weight:16,6,5,5", "3.bias:16", "7.weight:120,400", "7.bias:120",
            "9.weight:84,120", "9.bias:84", "11.weight:10,84", "11.bias:10",
        }, Shapes(W5FashionCnn.Model()));
        // The CNN's init draws continue one Rng(30) stream: the first conv's weights are U(±1/√25).
        var first = W5FashionCnn.Model().Parameters().First().ToArray<float>();
        Assert.All(first, v => Assert.True(Math.Abs(v) <= 0.2f));
    }

    [Fact]
    public void W1ShortRunTracksTheTwin()
    {
        var r = W1Moons.Run(1, new WorkloadOptions(Epochs: 20));
        // w1_moons.py with EPOCHS = 20: final train BCE 0.602691, dev BCE 0.622002, dev acc 0.7437, test 0.596887 / 0.82.
        Assert.Equal(0.602691, r["final_train_loss"]!.GetValue<double>(), 1e-5);
        Assert.Equal(0.622002, r["final_dev_loss"]!.GetValue<double>(), 1e-5);
        Assert.Equal(0.7437, r["final_dev_acc"]!.GetValue<double>(), 1e-4);
        Assert.Equal(0.596887, r["test_loss"]!.GetValue<double>(), 1e-5);
        Assert.Equal(0.82, r["test_acc"]!.GetValue<double>(), 1e-4);
        Assert.True(r["train_seconds"]!.GetValue<double>() > 0);
    }

    [Fact]
    public void W2ShortRunTracksTheTwin()
    {
        var r = W2FitSquare.Run(1, new WorkloadOptions(Epochs: 1));
        // w2_fit_square.py with EPOCHS = 1: mean train MSE 0.238538, test MSE 0.00192107.
        Assert.Equal(0.238538, r["final_train_loss"]!.GetValue<double>(), 2e-5);
        Assert.Equal(0.00192107, r["test_mse"]!.GetValue<double>(), 2e-6);
        Assert.Single(r["train_loss_per_epoch"]!.AsArray());
    }

    // Reference: the twins' loop (common.train_classifier) stopped after S steps of epoch 1, then evaluated on the
    // first 1000 test images.
    [FashionMnistFact]
    public void W3ShortRunTracksTheTwin() =>
        AssertShortRun(W3FashionSoftmax.Run(1, new WorkloadOptions(1, 20, 1000)), 1.446924, 1.048686, 0.691, 1000);

    [FashionMnistFact]
    public void W4ShortRunTracksTheTwin() =>
        AssertShortRun(W4FashionMlp.Run(1, new WorkloadOptions(1, 10, 1000)), 2.084924, 1.807785, 0.524, 1000);

    [FashionMnistFact]
    public void W5ShortRunTracksTheTwin() =>
        AssertShortRun(W5FashionCnn.Run(1, new WorkloadOptions(1, 2, 500)), 2.304400, 2.301594, 0.092, 500);

    [Fact]
    public void W6ShortRunReportsTheTwinsFields()
    {
        var r = W6Gemm.Run(1, new WorkloadOptions(StepsPerEpoch: 0));
        Assert.True(r["dendrite_n128"]!.GetValue<double>() > 0);
        Assert.Null(r["dendrite_n256"]);
        foreach (string key in new[] { "linear_fwd", "linear_fwdbwd", "linear_fwdbwd_dx" })
        {
            Assert.True(r[key + "_ms"]!.GetValue<double>() > 0);
            Assert.True(r[key + "_gflops"]!.GetValue<double>() > 0);
        }
    }

    [Fact]
    public void ReportPairsMediansAcrossSides()
    {
        string dir = Directory.CreateTempSubdirectory("dendrite-report-").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(dir, "dendrite_w1.jsonl"),
            [
                """{"workload":"w1_moons","threads":1,"train_seconds":0.1}""",
                """{"workload":"w1_moons","reps":1,"by_threads":{"1":{"runs":[{"train_seconds":0.1,"test_acc":0.89,"peak_rss_mib":50}]}}}""",
                """{"workload":"w1_moons","reps":1,"by_threads":{"1":{"runs":[{"train_seconds":0.3,"test_acc":0.89,"peak_rss_mib":52}]}}}""",
            ]);
            File.WriteAllLines(Path.Combine(dir, "pytorch_w1.jsonl"),
            [
                """{"workload": "w1_moons", "reps": 1, "by_threads": {"1": {"runs": [{"train_seconds": 0.8, "test_acc": 0.89, "peak_rss_mib": 238}]}}}""",
            ]);
            var d = CompareReport.Load(dir, "dendrite");
            Assert.Equal(2, d[("w1_moons", 1)].Count);
            string table = CompareReport.Format(d, CompareReport.Load(dir, "pytorch"));
            // Median of 0.1 and 0.3 is 0.2; 0.2 / 0.8 = 0.25.
            Assert.Contains("| w1_moons | 1 | train_seconds | 0.2 (0.1-0.3) | 0.8 | 0.250 |", table);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void MedianAndSignificantDigitsMatchPython()
    {
        Assert.Equal(2.5, Stats.Median([4, 1, 3, 2]));
        Assert.Equal(3, Stats.Median([5, 3, 1]));
        Assert.Equal(0.123457, Stats.Sig(0.1234567));
        Assert.Equal(1.81308e-05, Stats.Sig(1.813081234e-05));
    }

    private static void AssertShortRun(System.Text.Json.Nodes.JsonObject r, double trainLoss, double testLoss, double testAcc, int testCount)
    {
        // Rounding differences may flip a near-tie prediction or two.
        Assert.Equal(trainLoss, r["train_loss_per_epoch"]!.AsArray()[0]!.GetValue<double>(), 2e-4);
        Assert.Equal(testLoss, r["test_loss"]!.GetValue<double>(), 2e-4);
        Assert.Equal(testAcc, r["test_acc"]!.GetValue<double>(), 2.5 / testCount);
    }

    private static string[] Shapes(Module m) =>
        m.NamedParameters().Select(p => $"{p.Name}:{string.Join(',', p.Tensor.Shape)}").ToArray();
}

using System.Text.Json.Nodes;
using Dendrite.Tests.Cli;
using Dendrite.Tests.Data;

namespace Dendrite.Tests.Distributed;

// `mpiexec -n 2 dendrite train --distributed`: one model over two processes, rank 0 alone printing and writing;
// resuming its checkpoint on one process and again on two; usage errors as one line from rank 0.
[Collection("mpi")]
public sealed class DistributedCliTests
{
    private static readonly string[] Moons = ["train", "--dataset", "moons", "--model", "mlp:2-16-2", "--opt", "adam", "--lr", "0.05", "--batch", "64", "--json"];

    private static string[] Args(string root, params string[] extra) => [.. Moons, "--out", root, .. extra];

    private static JsonNode Train(int processes, params string[] args)
    {
        var job = MpiJob.Run(processes, MpiJob.Cli, args);
        Assert.True(job.Code == 0, job.Err);
        return JsonNode.Parse(job.Out)!; // exactly one JSON document: only rank 0 wrote to stdout
    }

    private static double[][] History(string runDir) =>
        [.. File.ReadAllLines(Path.Combine(runDir, "history.csv")).Skip(1).Select(l => l.Split(',').Skip(1).Select(double.Parse).ToArray())];

    [MpiFact]
    public void TwoProcessesTrainOneModelLikeOneAndTheirCheckpointResumesOnAnyNumber()
    {
        using var dir = new TempDir();
        // Three epochs on two processes, and plain `dendrite train` in one: the same global batches, so the same run up
        // to rounding (the processes agree on the loss of each step and sum the accuracy counts).
        var two = Train(2, Args(dir.File("two"), "--distributed", "--epochs", "3"));
        JsonNode one;
        using (var cli = new CliHarness())
        {
            var (code, output, err) = cli.Run(Args(dir.File("one"), "--epochs", "3"));
            Assert.True(code == 0, err);
            one = JsonNode.Parse(output)!;
        }
        Assert.Equal(2, two["metrics"]!["processes"]!.GetValue<int>());
        string twoRun = two["runDir"]!.GetValue<string>();
        Assert.Single(Directory.GetDirectories(dir.File("two"))); // rank 1 wrote no run folder of its own
        AssertClose(History(one["runDir"]!.GetValue<string>()), History(twoRun), 1e-4);
        Assert.Equal(one["metrics"]!["test_acc"]!.GetValue<double>(), two["metrics"]!["test_acc"]!.GetValue<double>(), 6);

        // One epoch on two processes, the second on one process without MPI, the third on two again: the checkpoint
        // holds the plain model's keys and every rank's totals, so each leg continues the same run.
        var split = Train(2, Args(dir.File("split"), "--distributed", "--epochs", "1"));
        string splitRun = split["runDir"]!.GetValue<string>(), last = Path.Combine(splitRun, "last.safetensors");
        using (var cli = new CliHarness())
        {
            var (code, _, err) = cli.Run("train", "--resume", last, "--epochs", "2", "--json");
            Assert.True(code == 0, err);
        }
        var resumed = Train(2, ["train", "--distributed", "--resume", last, "--epochs", "3", "--json"]);
        Assert.Equal(splitRun, resumed["runDir"]!.GetValue<string>());
        Assert.Equal(3, resumed["metrics"]!["epochs_completed"]!.GetValue<int>());
        AssertClose(History(twoRun), History(splitRun), 1e-4);
    }

    [MpiFact]
    public void AUsageErrorIsOneLineFromRankZeroAndNoRunFolder()
    {
        using var dir = new TempDir();
        string root = dir.File("runs");
        var job = MpiJob.Run(2, MpiJob.Cli, [.. Moons[..^3], "--batch", "63", "--distributed", "--out", root]);
        Assert.Equal(2, job.Code);
        Assert.Equal(["error: --batch is 63, but must be a multiple of the 2 processes (it is the global batch, split evenly over them)"],
            job.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(root));

        job = MpiJob.Run(2, MpiJob.Cli, [.. Moons, "--out", root]);
        Assert.Equal(2, job.Code);
        Assert.Single(job.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("mpiexec started 2 processes, but without --distributed each would train a model of its own", job.Err);
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public void DistributedWithoutMpiexecSaysHowToLaunch()
    {
        using var cli = new CliHarness();
        var (code, _, err) = cli.Run("train", "--distributed", "--dataset", "moons", "--out", Path.Combine(cli.Root, "runs"));
        Assert.Equal(2, code);
        Assert.Contains("error: --distributed: this process was not started by mpiexec; start one process per rank with MPICH's mpiexec, " +
                        "for example: mpiexec -n 2 dendrite train --distributed", err);
        Assert.Contains("apt-get install mpich", err);
        Assert.False(Directory.Exists(Path.Combine(cli.Root, "runs")));
    }

    private static void AssertClose(double[][] expected, double[][] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int e = 0; e < expected.Length; e++)
            for (int c = 0; c < expected[e].Length; c++)
                Assert.True(Math.Abs(expected[e][c] - actual[e][c]) <= tolerance * Math.Max(1, Math.Abs(expected[e][c])),
                    $"epoch {e + 1}, column {c + 1}: {expected[e][c]} against {actual[e][c]}");
    }
}

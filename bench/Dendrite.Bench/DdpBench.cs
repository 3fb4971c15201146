using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Dendrite.Bench.Workloads;
using Dendrite.Distributed;
using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Bench;

/// <summary>
/// <c>ddp</c>: data-parallel training over MPI on this machine. W4 (Fashion MLP 784-256-10, SGD lr 0.1, global batch
/// 256) as 1 process × 2 threads and as 2 processes × 1 thread under <c>mpiexec</c>, alternating, <c>--reps</c> times:
/// seconds per epoch (the slowest rank's), test accuracy, and the share of the epoch spent averaging gradients; then
/// the all-reduce bandwidth of float32 buffers of <c>--sizes</c> MB between the processes. Both runs draw the same
/// permutation per epoch and split it into the same global batches (<see cref="DistributedSampler"/> over the loader's
/// stream), so their accuracies agree up to rounding. Prints the children's JSON lines, a JSON summary and a table.
/// Options: <c>--reps N</c> (3), <c>--epochs E</c> (10), <c>--processes P</c> (2), <c>--sizes 1 4 16 64</c>.
/// </summary>
public static class DdpBench
{
    private const int GlobalBatch = 256;

    /// <summary>The parent: launches the children and prints the comparison.</summary>
    public static int Run(string[] args)
    {
        int reps = Args.Int(args, "--reps") ?? 3, epochs = Args.Int(args, "--epochs") ?? 10, processes = Args.Int(args, "--processes") ?? 2;
        int[] sizes = Args.IntList(args, "--sizes") ?? [1, 4, 16, 64];
        if (reps < 1 || epochs < 1 || processes < 2 || GlobalBatch % processes != 0 || sizes.Any(s => s < 1))
            throw new ArgumentException($"ddp: need --reps >= 1, --epochs >= 1, --processes >= 2 dividing {GlobalBatch}, and --sizes >= 1 (MB).");
        string mpiexec = FindMpiexec();
        string e = epochs.ToString(CultureInfo.InvariantCulture);
        var single = new List<JsonObject>();
        var multi = new List<JsonObject>();
        for (int rep = 0; rep < reps; rep++)
        {
            single.Add(Child(null, ["ddp-w4", "--threads", processes.ToString(CultureInfo.InvariantCulture), "--epochs", e]).Single());
            multi.Add(Child(mpiexec, ["-n", processes.ToString(CultureInfo.InvariantCulture), .. Self(), "ddp-w4", "--threads", "1", "--epochs", e]).Single());
            Console.Error.WriteLine($"[ddp] rep {rep}: 1 x {processes} threads {single[^1]["s_per_epoch"]} s/epoch, {processes} processes x 1 thread {multi[^1]["s_per_epoch"]} s/epoch");
        }
        var bandwidth = Child(mpiexec, ["-n", processes.ToString(CultureInfo.InvariantCulture), .. Self(), "ddp-allreduce", "--sizes", .. sizes.Select(s => s.ToString(CultureInfo.InvariantCulture))]);
        foreach (var line in single.Concat(multi).Concat(bandwidth))
            Console.Out.WriteLine(line.ToJsonString());
        var summary = new JsonObject
        {
            ["benchmark"] = "ddp",
            ["reps"] = reps,
            ["epochs"] = epochs,
            ["single"] = Summary(single),
            ["distributed"] = Summary(multi),
            ["ratio_s_per_epoch"] = Math.Round(Median(multi, "s_per_epoch") / Median(single, "s_per_epoch"), 3),
        };
        Console.Out.WriteLine(summary.ToJsonString());
        Console.Out.WriteLine();
        Console.Out.WriteLine("| run | s/epoch (median, min-max) | test accuracy | all-reduce share of an epoch |");
        Console.Out.WriteLine("|---|---|---|---|");
        Console.Out.WriteLine(Row($"1 process x {processes} threads", single));
        Console.Out.WriteLine(Row($"{processes} processes x 1 thread", multi));
        Console.Out.WriteLine($"\n{processes} processes / 1 process: {summary["ratio_s_per_epoch"]} (median s/epoch)\n");
        Console.Out.WriteLine("| all-reduce (float32, in place) | time | algorithm bandwidth | bus bandwidth |");
        Console.Out.WriteLine("|---|---|---|---|");
        foreach (var b in bandwidth)
            Console.Out.WriteLine($"| {b["megabytes"]} MB | {b["ms"]} ms | {b["algbw_gb_s"]} GB/s | {b["busbw_gb_s"]} GB/s |");
        return 0;
    }

    /// <summary>A child: W4 with DistributedDataParallel on this process's shard (alone, a world of one process).</summary>
    public static int W4(string[] args)
    {
        using var group = ProcessGroup.Init();
        Threads.Count = Args.Int(args, "--threads") ?? 1;
        int epochs = Args.Int(args, "--epochs") ?? 10;
        var (train, test) = ClassifierTraining.LoadFashion(flatten: true);
        var model = W4FashionMlp.Model();
        var ddp = new DistributedDataParallel(model, group);
        var opt = new SGD(ddp.Parameters(), lr: 0.1);
        var sampler = new DistributedSampler(train.Count, group, generator: new Generator(21));
        int batch = GlobalBatch / group.Size;
        var lossFn = new CrossEntropyLoss();
        var epochSeconds = new List<double>();
        double averaging = 0, losses = 0;
        int steps = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            group.Barrier();
            long t0 = Stopwatch.GetTimestamp();
            var before = ddp.GradientAveragingTime;
            int[] shard = sampler.Indices();
            for (int i = 0; i < shard.Length; i += batch, steps++)
            {
                var xy = train.GetBatch(shard.AsSpan(i, Math.Min(batch, shard.Length - i)));
                opt.ZeroGrad();
                var loss = lossFn.Call(ddp.Call(xy[0]), xy[1]);
                loss.Backward();
                opt.Step();
                losses += loss.Item();
            }
            // The epoch lasts as long as its slowest rank; the averaging share is the ranks' mean.
            double[] wall = [Stopwatch.GetElapsedTime(t0).TotalSeconds];
            group.AllReduce<double>(wall, ReduceOp.Max);
            epochSeconds.Add(wall[0]);
            averaging += (ddp.GradientAveragingTime - before).TotalSeconds;
        }
        double[] shares = [averaging / epochSeconds.Sum()];
        group.AllReduce<double>(shares);
        if (!group.IsMain)
            return 0;
        var (testLoss, testAcc) = ClassifierTraining.Evaluate(model, test, 1000, test.Count);
        var result = new JsonObject
        {
            ["workload"] = "w4_fashion_mlp_ddp",
            ["processes"] = group.Size,
            ["threads"] = Threads.Count,
            ["mpi"] = group.Library,
            ["s_per_epoch"] = Math.Round(epochSeconds.Average(), 4),
            ["first_epoch_s"] = Math.Round(epochSeconds[0], 4),
            ["epoch_seconds"] = new JsonArray([.. epochSeconds.Select(s => (JsonNode)Math.Round(s, 4))]),
            ["allreduce_share"] = Math.Round(shares[0] / group.Size, 4),
            ["train_loss"] = Stats.Sig(losses / steps, 5),
            ["test_loss"] = Stats.Sig(testLoss),
            ["test_acc"] = Math.Round(testAcc, 4),
            ["loadavg_1m_at_end"] = ProcessMemory.LoadAverage1m(),
        };
        Console.Out.WriteLine(result.ToJsonString());
        return 0;
    }

    /// <summary>A child under mpiexec: the time of an in-place float32 all-reduce of each size (the slowest rank's).</summary>
    public static int AllReduce(string[] args)
    {
        using var group = ProcessGroup.Init();
        foreach (int megabytes in Args.IntList(args, "--sizes") ?? [1, 4, 16, 64])
        {
            var buffer = new float[megabytes * (1 << 20) / sizeof(float)];
            buffer.AsSpan().Fill(group.Rank + 1);
            int reps = Math.Clamp(256 / megabytes, 5, 100);
            for (int w = 0; w < 2; w++)
                group.AllReduce<float>(buffer);
            group.Barrier();
            long t0 = Stopwatch.GetTimestamp();
            for (int r = 0; r < reps; r++)
                group.AllReduce<float>(buffer);
            double[] seconds = [Stopwatch.GetElapsedTime(t0).TotalSeconds / reps];
            group.AllReduce<double>(seconds, ReduceOp.Max);
            double bytes = (double)buffer.Length * sizeof(float), algbw = bytes / seconds[0] / 1e9;
            if (group.IsMain)
                Console.Out.WriteLine(new JsonObject
                {
                    ["allreduce"] = "float32_in_place",
                    ["processes"] = group.Size,
                    ["megabytes"] = megabytes,
                    ["reps"] = reps,
                    ["ms"] = Math.Round(seconds[0] * 1e3, 3),
                    // NCCL's conventions: algorithm bandwidth = bytes / time; bus bandwidth = algbw * 2(n-1)/n.
                    ["algbw_gb_s"] = Math.Round(algbw, 2),
                    ["busbw_gb_s"] = Math.Round(algbw * 2 * (group.Size - 1) / group.Size, 2),
                }.ToJsonString());
        }
        return 0;
    }

    private static string Row(string name, List<JsonObject> runs) =>
        $"| {name} | {Median(runs, "s_per_epoch"):F3} ({runs.Min(r => r["s_per_epoch"]!.GetValue<double>()):F3}-{runs.Max(r => r["s_per_epoch"]!.GetValue<double>()):F3}) " +
        $"| {Median(runs, "test_acc"):F4} | {Median(runs, "allreduce_share") * 100:F1}% |";

    private static JsonObject Summary(List<JsonObject> runs) => new()
    {
        ["s_per_epoch_median"] = Median(runs, "s_per_epoch"),
        ["test_acc_median"] = Median(runs, "test_acc"),
        ["allreduce_share_median"] = Median(runs, "allreduce_share"),
    };

    private static double Median(List<JsonObject> runs, string key) => Stats.Median(runs.Select(r => r[key]!.GetValue<double>()));

    // This benchmark's own command line: the apphost, or `dotnet Dendrite.Bench.dll`.
    private static string[] Self()
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find this process's executable to re-launch it.");
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, Assembly.GetEntryAssembly()!.Location] : [host];
    }

    private static string FindMpiexec() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "mpiexec")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("ddp: mpiexec is not on the PATH; install MPICH (apt-get install mpich).");

    // Runs a child (this binary alone, or under mpiexec) and returns the JSON objects it printed.
    private static List<JsonObject> Child(string? launcher, string[] args)
    {
        var command = launcher is null ? [.. Self(), .. args] : (string[])[launcher, .. args];
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in command.Skip(1))
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {command[0]}.");
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ddp: `{string.Join(' ', command)}` exited with code {process.ExitCode}.");
        return [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject())];
    }
}

using System.Text.Json.Nodes;
using Dendrite.Tests.Data;

namespace Dendrite.Tests.Distributed;

// Real two-process MPI jobs of tests/Dendrite.MpiHost: the collectives, DistributedDataParallel against one process
// on the whole batch, parameters equal on every rank after every step, and a rank that throws.
[Collection("mpi")]
public sealed class MpiJobTests
{
    [MpiFact]
    public void EveryCollectiveGivesTheKnownResultOnBothRanks()
    {
        var job = MpiJob.Run(2, MpiJob.Host, ["collectives"]);
        Assert.True(job.Code == 0, job.Err);
        Assert.Contains("collectives ok on rank 0 of 2 (libmpich.so.12 (MPICH Version:", job.Out);
        Assert.Contains("collectives ok on rank 1 of 2 (libmpich.so.12 (MPICH Version:", job.Out);
        Assert.Contains("libmpich loaded)", job.Out);
    }

    [MpiFact]
    public void WithoutMpiexecTheHostIsAWorldOfOneThatNeedsNoMpi()
    {
        var job = MpiJob.Run(null, MpiJob.Host, ["collectives"]);
        Assert.True(job.Code == 0, job.Err);
        Assert.Contains("collectives ok on rank 0 of 1 (none; libmpich not loaded)", job.Out);
    }

    // 20 SGD steps (momentum 0.9) of an MLP on moons, global batch 48: two ranks on 24 samples each against one
    // process on all 48, on the CPU in float32 and float64 and on ilgpu-cpu (the GPU backend's path through host buffers).
    [MpiFact]
    public void TwoRanksOnHalfTheBatchEachMatchOneProcessOnAllOfIt()
    {
        using var dir = new TempDir();
        string one = dir.File("one.json"), two = dir.File("two.json");
        var single = MpiJob.Run(null, MpiJob.Host, ["train", "--runs", "float32-cpu,float64-cpu", "--out", one]);
        Assert.True(single.Code == 0, single.Err);
        var pair = MpiJob.Run(2, MpiJob.Host, ["train", "--runs", "float32-cpu,float64-cpu,float32-ilgpu-cpu,float32-cpu+bn", "--out", two]);
        Assert.True(pair.Code == 0, pair.Err);
        var reference = JsonNode.Parse(File.ReadAllText(one))!;
        var distributed = JsonNode.Parse(File.ReadAllText(two))!;
        Assert.Equal(1, reference["world"]!.GetValue<int>());
        Assert.Equal(2, distributed["world"]!.GetValue<int>());
        foreach (var (run, against, tolerance) in new[] { ("float32-cpu", "float32-cpu", 1e-5), ("float64-cpu", "float64-cpu", 1e-12), ("float32-ilgpu-cpu", "float32-cpu", 1e-5) })
        {
            var r = distributed[run]!;
            Assert.Equal(20, r["steps"]!.GetValue<int>());
            Assert.Equal(0, r["checksumMismatches"]!.GetValue<int>()); // every rank held the same parameters after every step
            Assert.True(r["buckets"]!.GetValue<int>() >= 3, $"{run}: the gradients should travel in several buckets");
            Assert.Empty(r["shardProblems"]!.AsArray()); // each epoch's shards were disjoint and covered the data
            Assert.True(r["buffersSameOnEveryRank"]!.GetValue<bool>()); // no buffers: trivially
            var expected = reference[against]!["parameters"]!.AsObject();
            var actual = r["parameters"]!.AsObject();
            Assert.Equal(expected.Select(kv => kv.Key), actual.Select(kv => kv.Key));
            foreach (var (name, values) in expected)
            {
                var e = values!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
                var a = actual[name]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
                double scale = e.Max(Math.Abs), diff = e.Zip(a, (x, y) => Math.Abs(x - y)).Max();
                Assert.True(diff <= tolerance * scale, $"{run} {name}: max difference {diff:E2} against max |value| {scale:E2} (tolerance {tolerance:E0} relative)");
            }
        }
        // With BatchNorm the parameters still agree after every step, while each rank's running statistics follow its own batches.
        var bn = distributed["float32-cpu+bn"]!;
        Assert.Equal(0, bn["checksumMismatches"]!.GetValue<int>());
        Assert.False(bn["buffersSameOnEveryRank"]!.GetValue<bool>());
    }

    // Rank 1 builds a different model: refused at construction, on every rank, before any gradient is exchanged.
    [MpiFact]
    public void RanksThatBuildDifferentModelsAreRefusedAtTheStart()
    {
        var job = MpiJob.Run(2, MpiJob.Host, ["train", "--odd-rank", "1"], timeoutSeconds: 60);
        Assert.NotEqual(0, job.Code);
        Assert.Contains("DistributedDataParallel: rank 1 wraps a different model than rank 0 (6 parameters and buffers of 373 elements against 6 of 354", job.Err);
    }

    // Rank 1 throws before step 3 while rank 0 waits for it in the gradient all-reduce: the unhandled exception
    // aborts the job (MPI_Abort) instead of leaving rank 0 waiting forever.
    [MpiFact]
    public void ARankThatThrowsEndsTheJobWithItsMessageInsteadOfHanging()
    {
        var job = MpiJob.Run(2, MpiJob.Host, ["fail", "--fail-rank", "1", "--fail-step", "3"], timeoutSeconds: 60);
        Assert.NotEqual(0, job.Code);
        Assert.Contains("rank 1: unhandled exception, aborting the job", job.Err);
        Assert.Contains("rank 1 fails on purpose before step 3", job.Err);
        Assert.True(job.Elapsed < TimeSpan.FromSeconds(30), $"the job took {job.Elapsed}");
    }
}

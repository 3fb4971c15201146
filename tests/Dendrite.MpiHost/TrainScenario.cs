using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Dendrite.Data;
using Dendrite.Data.Datasets;
using Dendrite.Distributed;
using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.MpiHost;

/// <summary>
/// SGD with momentum on an MLP over 200 moons samples, global batch 48 split evenly over the ranks by a
/// DistributedSampler, for <c>--steps</c> steps, once per entry of <c>--runs</c> (<c>float32-cpu</c>,
/// <c>float64-cpu</c>, <c>float32-ilgpu-cpu</c>, ...; a <c>+bn</c> suffix adds a BatchNorm1d, whose running
/// statistics must stay per rank while the parameters agree). After every step the ranks compare a checksum of their
/// parameters; every epoch rank 0 checks that the gathered shards are disjoint and cover the data. Rank 0 writes
/// <c>--out</c>: per run the final parameters, the checksum agreement and the shard problems found. With
/// <c>--fail-rank R --fail-step S</c>, rank R throws before step S (the scenario <c>fail</c>); with
/// <c>--odd-rank R</c>, rank R builds a wider model than the others.
/// </summary>
internal static class TrainScenario
{
    private const int Samples = 200, GlobalBatch = 48;

    public static int Run(HostOptions options)
    {
        var group = ProcessGroup.Init();
        int steps = options.Int("steps", 20);
        int failRank = options.Int("fail-rank", -1), failStep = options.Int("fail-step", -1);
        int hidden = group.Rank == options.Int("odd-rank", -1) ? 17 : 16;
        var result = new JsonObject { ["world"] = group.Size };
        foreach (var run in options.String("runs", "float32-cpu").Split(','))
        {
            bool batchNorm = run.EndsWith("+bn", StringComparison.Ordinal);
            string spec = batchNorm ? run[..^3] : run;
            int dash = spec.IndexOf('-');
            var dtype = spec[..dash] == "float64" ? DType.Float64 : DType.Float32;
            var device = Device.Parse(spec[(dash + 1)..]);
            result[run] = Train(group, dtype, device, hidden, batchNorm, steps, failRank, failStep);
        }
        if (group.Rank == 0 && options.String("out", "") is { Length: > 0 } path)
            File.WriteAllText(path, result.ToJsonString());
        group.Dispose();
        return 0;
    }

    private static JsonObject Train(ProcessGroup group, DType dtype, Device device, int hidden, bool batchNorm, int steps, int failRank, int failStep)
    {
        var (x, y) = Moons.Make(Samples, 0.1, new Generator(3));
        var data = new TensorDataset(x.To(dtype), y.To(DType.Int64));
        var init = new Generator(5);
        var model = batchNorm
            ? new Sequential(new Linear(2, hidden, dtype: dtype, generator: init), new BatchNorm1d(hidden, dtype: dtype), new Tanh(),
                new Linear(hidden, 16, dtype: dtype, generator: init), new Tanh(), new Linear(16, 2, dtype: dtype, generator: init))
            : new Sequential(new Linear(2, hidden, dtype: dtype, generator: init), new Tanh(),
                new Linear(hidden, 16, dtype: dtype, generator: init), new Tanh(), new Linear(16, 2, dtype: dtype, generator: init));
        model.To(device);
        // A tiny bucket cap (about 500 bytes) so that the gradients travel in several buckets.
        var ddp = new DistributedDataParallel(model, group, bucketCapMB: 0.0005);
        var opt = new SGD(ddp.Parameters(), lr: 0.2, momentum: 0.9);
        var lossFn = new CrossEntropyLoss();
        var sampler = new DistributedSampler(Samples, group, shuffle: true, seed: 11);
        var loader = new DataLoader(data, batchSize: GlobalBatch / group.Size, sampler: sampler);
        int step = 0, epoch = 0, mismatches = 0;
        var shardProblems = new JsonArray();
        while (step < steps)
        {
            sampler.SetEpoch(epoch);
            CheckShards(group, sampler, epoch, shardProblems);
            foreach (var (xb, yb) in loader)
            {
                if (step >= steps)
                    break;
                if (group.Rank == failRank && step == failStep)
                    throw new InvalidOperationException($"rank {failRank} fails on purpose before step {failStep}");
                // Odd steps drop the gradients (setToNone): DDP's gradients that live in its buckets must cope with both.
                opt.ZeroGrad(setToNone: step % 2 == 1);
                var loss = lossFn.Call(ddp.Call(xb.To(device)), yb.To(device));
                loss.Backward();
                opt.Step();
                step++;
                if (!SameOnEveryRank(group, Checksum(model.Parameters())))
                    mismatches++;
            }
            epoch++;
        }
        var parameters = new JsonObject();
        foreach (var (name, p) in model.NamedParameters())
            parameters[name] = new JsonArray([.. p.ToArray<double>().Select(v => (JsonNode)v)]);
        return new JsonObject
        {
            ["steps"] = step,
            ["checksumMismatches"] = mismatches,
            ["buffersSameOnEveryRank"] = SameOnEveryRank(group, Checksum(model.Buffers())),
            ["buckets"] = ddp.BucketCount,
            ["shardProblems"] = shardProblems,
            ["parameters"] = parameters,
        };
    }

    // FNV-1a over the bytes of the tensors.
    private static long Checksum(IEnumerable<Tensor> tensors)
    {
        ulong h = 14695981039346656037UL;
        foreach (var p in tensors)
        {
            byte[] bytes = p.DType switch
            {
                DType.Float64 => MemoryMarshal.AsBytes(p.ToArray<double>().AsSpan()).ToArray(),
                DType.Int64 => MemoryMarshal.AsBytes(p.ToArray<long>().AsSpan()).ToArray(),
                _ => MemoryMarshal.AsBytes(p.ToArray<float>().AsSpan()).ToArray(),
            };
            foreach (byte b in bytes)
                h = (h ^ b) * 1099511628211UL;
        }
        return unchecked((long)h);
    }

    private static bool SameOnEveryRank(ProcessGroup group, long value)
    {
        var all = new long[group.Size];
        group.AllGather<long>([value], all);
        return all.All(v => v == value);
    }

    // Gathers every rank's shard of this epoch; rank 0 checks they are disjoint and cover all samples.
    private static void CheckShards(ProcessGroup group, DistributedSampler sampler, int epoch, JsonArray problems)
    {
        var mine = sampler.Indices();
        var all = new int[mine.Length * group.Size];
        group.AllGather<int>(mine, all);
        if (group.Rank != 0)
            return;
        var seen = new HashSet<int>();
        foreach (int i in all)
            if (!seen.Add(i))
                problems.Add($"epoch {epoch}: sample {i} is in two shards");
        if (seen.Count != Samples)
            problems.Add($"epoch {epoch}: the shards cover {seen.Count} of {Samples} samples");
    }
}

using System.Text.Json;
using Dendrite.Optim;

namespace Dendrite.Tests.Optim;

/// <summary>Learning-rate schedules against PyTorch 1.13 (schedulers.jsonl): the initial rate, then one per step.</summary>
public sealed class SchedulerParityTests
{
    [Theory]
    [InlineData("steplr")]
    [InlineData("multisteplr")]
    [InlineData("exponentiallr")]
    [InlineData("cosineannealinglr")]
    [InlineData("reducelronplateau")]
    public void SchedulesMatchPyTorch(string scheduler)
    {
        var cases = ReferenceFiles.Cases("schedulers.jsonl").Where(c => c.GetProperty("scheduler").GetString() == scheduler).ToList();
        Assert.NotEmpty(cases);
        var failures = new List<string>();
        foreach (var c in cases)
        {
            string id = c.GetProperty("id").GetString()!;
            var want = c.GetProperty("lrs").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var got = Run(c, want.Length - 1);
            for (int k = 0; k < want.Length; k++)
                if (!ReferenceFiles.Close(got[k], want[k], 1e-12))
                {
                    failures.Add($"{id} epoch {k}: got {got[k]:R}, PyTorch {want[k]:R}");
                    break;
                }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void EveryScheduleInTheFileIsCovered()
    {
        var names = ReferenceFiles.Cases("schedulers.jsonl").Select(c => c.GetProperty("scheduler").GetString()).Distinct();
        Assert.All(names, n => Assert.Contains(n, new[] { "steplr", "multisteplr", "exponentiallr", "cosineannealinglr", "reducelronplateau" }));
    }

    private static double[] Run(JsonElement c, int steps)
    {
        var h = c.GetProperty("hparams");
        var p = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var opt = new SGD([p], lr: c.GetProperty("base_lr").GetDouble());
        var lrs = new List<double> { opt.Lr };
        string name = c.GetProperty("scheduler").GetString()!;
        if (name == "reducelronplateau")
        {
            Assert.Equal("min", h.GetProperty("mode").GetString());
            Assert.Equal("rel", h.GetProperty("threshold_mode").GetString());
            var s = new ReduceLROnPlateau(opt, PlateauMode.Min, factor: h.GetProperty("factor").GetDouble(), patience: h.GetProperty("patience").GetInt32(),
                threshold: h.GetProperty("threshold").GetDouble(), cooldown: h.GetProperty("cooldown").GetInt32(), minLr: h.GetProperty("min_lr").GetDouble(), eps: h.GetProperty("eps").GetDouble());
            var metrics = c.GetProperty("metrics").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (int k = 0; k < steps; k++)
            {
                s.Step(metrics[k]);
                lrs.Add(opt.Lr);
            }
            return [.. lrs];
        }
        LRScheduler sched = name switch
        {
            "steplr" => new StepLR(opt, h.GetProperty("step_size").GetInt32(), h.GetProperty("gamma").GetDouble()),
            "multisteplr" => new MultiStepLR(opt, h.GetProperty("milestones").EnumerateArray().Select(e => e.GetInt32()), h.GetProperty("gamma").GetDouble()),
            "exponentiallr" => new ExponentialLR(opt, h.GetProperty("gamma").GetDouble()),
            "cosineannealinglr" => new CosineAnnealingLR(opt, h.GetProperty("T_max").GetInt32(), h.GetProperty("eta_min").GetDouble()),
            _ => throw new ArgumentException($"unknown scheduler {name}"),
        };
        Assert.Equal(lrs[0], sched.LastLr[0]);
        for (int k = 0; k < steps; k++)
        {
            opt.Step();
            sched.Step();
            lrs.Add(opt.Lr);
            Assert.Equal(opt.Lr, sched.GetLastLr()[0]);
        }
        return [.. lrs];
    }
}

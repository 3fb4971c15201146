using System.Text.Json;
using Dendrite.Optim;

namespace Dendrite.Tests.Optim;

/// <summary>
/// Learning-rate schedules against PyTorch 1.13: the initial rate, then one per step. The shared schedulers.jsonl
/// has ReduceLROnPlateau in mode min / threshold_mode rel only; Parity/Data/plateau.jsonl (made by make_plateau.py)
/// covers every mode × threshold_mode combination with metric paths that tell the two threshold rules apart.
/// </summary>
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
        Assert.Empty(Mismatches(cases));
    }

    [Theory]
    [InlineData("min", "rel")]
    [InlineData("min", "abs")]
    [InlineData("max", "rel")]
    [InlineData("max", "abs")]
    public void PlateauModesMatchPyTorch(string mode, string thresholdMode)
    {
        var cases = Parity.LocalReference.Cases("plateau.jsonl").Where(c =>
            c.GetProperty("hparams").GetProperty("mode").GetString() == mode &&
            c.GetProperty("hparams").GetProperty("threshold_mode").GetString() == thresholdMode).ToList();
        Assert.True(cases.Count >= 3, $"plateau.jsonl has {cases.Count} cases of mode {mode} / threshold_mode {thresholdMode}");
        Assert.Empty(Mismatches(cases));
    }

    private static List<string> Mismatches(List<JsonElement> cases)
    {
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
        return failures;
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
            var mode = h.GetProperty("mode").GetString() switch
            {
                "min" => PlateauMode.Min,
                "max" => PlateauMode.Max,
                var m => throw new ArgumentException($"unknown mode {m}"),
            };
            var thresholdMode = h.GetProperty("threshold_mode").GetString() switch
            {
                "rel" => ThresholdMode.Rel,
                "abs" => ThresholdMode.Abs,
                var m => throw new ArgumentException($"unknown threshold_mode {m}"),
            };
            var s = new ReduceLROnPlateau(opt, mode, factor: h.GetProperty("factor").GetDouble(), patience: h.GetProperty("patience").GetInt32(),
                threshold: h.GetProperty("threshold").GetDouble(), thresholdMode: thresholdMode, cooldown: h.GetProperty("cooldown").GetInt32(),
                minLr: h.GetProperty("min_lr").GetDouble(), eps: h.GetProperty("eps").GetDouble());
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

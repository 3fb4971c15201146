using Dendrite.Optim;

namespace Dendrite.Tests.Optim;

public sealed class SchedulerTests
{
    private static SGD Opt(double lr) => new([Tensor.Zeros([1], DType.Float64, requiresGrad: true)], lr: lr);

    private static List<double> Run(SGD opt, Action step, int steps)
    {
        var lrs = new List<double> { opt.Lr };
        for (int k = 0; k < steps; k++)
        {
            step();
            lrs.Add(opt.Lr);
        }
        return lrs;
    }

    [Fact]
    public void WarmupThenCosineMatchesPyTorchSequentialLR()
    {
        var opt = Opt(1.0);
        var s = new SequentialLR(opt, [new LinearLR(opt, startFactor: 0.1, totalIters: 4), new CosineAnnealingLR(opt, 6, etaMin: 0.01)], milestones: [4]);
        // PyTorch 1.13, same construction.
        double[] expected = [0.1, 0.325, 0.55, 0.7750000000000001, 1.0, 0.9336825748732972, 0.7525000000000001, 0.505, 0.2575000000000001, 0.07631742512670284, 0.01, 0.07631742512670284, 0.2575];
        var got = Run(opt, s.Step, 12);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], got[i], 1e-12);
        Assert.Equal(opt.Lr, s.LastLr[0]);
    }

    [Fact]
    public void LinearLRMatchesPyTorch()
    {
        var opt = Opt(0.5);
        var s = new LinearLR(opt, startFactor: 0.25, endFactor: 0.75, totalIters: 5);
        double[] expected = [0.125, 0.175, 0.22499999999999995, 0.27499999999999997, 0.32499999999999996, 0.3749999999999999, 0.3749999999999999, 0.3749999999999999, 0.3749999999999999];
        var got = Run(opt, s.Step, 8);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], got[i], 1e-15);
    }

    [Fact]
    public void LambdaLRScalesTheInitialRate()
    {
        var opt = Opt(0.2);
        var s = new LambdaLR(opt, e => 1.0 / (e + 1));
        var got = Run(opt, s.Step, 3);
        Assert.Equal([0.2, 0.1, 0.2 / 3, 0.05], got);
        Assert.Equal(0.2, opt.ParamGroups[0].InitialLr);
    }

    [Fact]
    public void SchedulerStateDictResumes()
    {
        var opt = Opt(0.1);
        var s = new CosineAnnealingLR(opt, 10);
        for (int i = 0; i < 4; i++)
            s.Step();
        var state = System.Text.Json.Nodes.JsonNode.Parse(s.StateDict().ToJsonString())!.AsObject();
        var optState = opt.StateDict();
        for (int i = 0; i < 3; i++)
            s.Step();

        var opt2 = Opt(0.1);
        var s2 = new CosineAnnealingLR(opt2, 10);
        opt2.LoadStateDict(optState);
        s2.LoadStateDict(state);
        for (int i = 0; i < 3; i++)
            s2.Step();
        Assert.Equal(opt.Lr, opt2.Lr);
        Assert.Equal(s.LastEpoch, s2.LastEpoch);
    }

    [Fact]
    public void ReduceLROnPlateauInMaxModeWaitsForPatience()
    {
        var opt = Opt(1.0);
        var s = new ReduceLROnPlateau(opt, PlateauMode.Max, factor: 0.5, patience: 1, minLr: 0.3);
        foreach (var acc in new[] { 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6 })
            s.Step(acc);
        // Bad epochs 3-4 → 0.5, 5-6 → 0.3 (floored by minLr), then no further change.
        Assert.Equal(0.3, opt.Lr);
        Assert.Equal(0.6, s.Best);
        Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau(opt, factor: 1.0));
    }

    [Fact]
    public void MultiStepAndStepLRJumpWithTheClosedForm()
    {
        var opt = Opt(1.0);
        var s = new MultiStepLR(opt, [2, 4, 4], gamma: 0.5);
        Assert.Equal([1.0, 1.0, 0.5, 0.5, 0.125, 0.125], Run(opt, s.Step, 5));
        s.Step(3);
        Assert.Equal(0.5, opt.Lr);
        var opt2 = Opt(1.0);
        var st = new StepLR(opt2, 2, 0.1);
        st.Step(5);
        Assert.Equal(0.01, opt2.Lr, 15);
    }
}

using Dendrite.Training.Metrics;

namespace Dendrite.Tests.Training;

public sealed class MetricTests
{
    // Targets 0,1,2,2,1,0; arg-max predictions 0,2,2,2,1,1 (confusion rows: [1,1,0], [0,1,1], [0,0,2]).
    private static readonly float[] Logits =
    [
        5, 1, 0,
        0, 1, 3,
        0, 0, 1,
        -1, -2, 0,
        0, 2, 1,
        1, 2, 0,
    ];
    private static readonly long[] Targets = [0, 1, 2, 2, 1, 0];

    private static void Feed(IMetric m)
    {
        // Two batches: 4 then 2 samples, to check accumulation across batches.
        m.Update(Tensor.FromArray(Logits[..12], 4, 3), Tensor.FromArray(Targets[..4], 4));
        m.Update(Tensor.FromArray(Logits[12..], 2, 3), Tensor.FromArray(Targets[4..], 2));
    }

    [Fact]
    public void MultiClassScoresMatchHandComputedValues()
    {
        var acc = new Accuracy();
        var p = new Precision(3);
        var r = new Recall(3);
        var f = new F1Score(3);
        var cm = new ConfusionMatrix(3);
        foreach (var m in new IMetric[] { acc, p, r, f, cm })
            Feed(m);
        Assert.Equal(4.0 / 6, acc.Compute(), 12);
        Assert.Equal((1 + 0.5 + 2.0 / 3) / 3, p.Compute(), 12);
        Assert.Equal((0.5 + 0.5 + 1.0) / 3, r.Compute(), 12);
        Assert.Equal((2.0 / 3 + 0.5 + 0.8) / 3, f.Compute(), 12);
        Assert.Equal(new long[,] { { 1, 1, 0 }, { 0, 1, 1 }, { 0, 0, 2 } }, cm.Matrix);
        Assert.Equal(4.0 / 6, cm.Compute(), 12);
        Assert.Contains("true\\pred", cm.Format(["a", "b", "c"]));
        acc.Reset();
        Assert.True(double.IsNaN(acc.Compute()));
        // One-hot targets give the same result.
        var oneHot = new float[18];
        for (int i = 0; i < 6; i++)
            oneHot[i * 3 + Targets[i]] = 1;
        acc.Update(Tensor.FromArray(Logits, 6, 3), Tensor.FromArray(oneHot, 6, 3));
        Assert.Equal(4.0 / 6, acc.Compute(), 12);
    }

    [Fact]
    public void BinaryAccuracyThresholdsProbabilitiesOrLogits()
    {
        var probs = Tensor.FromArray(new float[] { 0.9f, 0.4f, 0.6f, 0.2f, 0.51f }, 5, 1);
        var y = Tensor.FromArray(new float[] { 1, 0, 0, 0, 1 }, 5, 1);
        var acc = new Accuracy();
        acc.Update(probs, y);
        Assert.Equal(0.8, acc.Compute(), 12);
        var strict = new Accuracy(threshold: 0.55);
        strict.Update(probs, y.Reshape(5));
        Assert.Equal(0.6, strict.Compute(), 12);
        var logits = new Accuracy(fromLogits: true);
        logits.Update(Tensor.FromArray(new float[] { 2, -0.5f, 0.1f, -3, 0.01f }), y);
        Assert.Equal(0.8, logits.Compute(), 12);

        var p = new Precision(2, ClassAverage.Binary);
        var r = new Recall(2, ClassAverage.Binary);
        var f = new F1Score(2, ClassAverage.Binary);
        foreach (var m in new IMetric[] { p, r, f })
            m.Update(probs, y);
        Assert.Equal(2.0 / 3, p.Compute(), 12);
        Assert.Equal(1.0, r.Compute(), 12);
        Assert.Equal(0.8, f.Compute(), 12);
        // Macro over both classes: class 0 has P = 2/2, R = 2/3.
        var pm = new Precision(2);
        pm.Update(probs, y);
        Assert.Equal((1.0 + 2.0 / 3) / 2, pm.Compute(), 12);
    }

    [Fact]
    public void RegressionErrorsAccumulateOverElements()
    {
        var mse = new MeanSquaredError();
        var mae = new MeanAbsoluteError();
        foreach (var m in new IMetric[] { mse, mae })
        {
            m.Update(Tensor.FromArray(new float[] { 1, 2, 3 }, 3, 1), Tensor.FromArray(new float[] { 1, 1, 1 }));
            m.Update(Tensor.FromArray(new float[] { 0 }), Tensor.FromArray(new float[] { 2 }));
        }
        Assert.Equal(9.0 / 4, mse.Compute(), 12); // not the mean of batch values (5/3 + 4) / 2
        Assert.Equal(5.0 / 4, mae.Compute(), 12);
        Assert.False(mse.HigherIsBetter);
        Assert.Throws<ArgumentException>(() => mse.Update(Tensor.Zeros(3), Tensor.Zeros(2)));
    }

    [Fact]
    public void BadTargetsAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Accuracy().Update(Tensor.Zeros(2, 3), Tensor.FromArray(new long[] { 0, 3 })));
        Assert.Contains("target 3", e.Message);
        Assert.Throws<ArgumentException>(() => new Accuracy().Update(Tensor.Zeros(2, 3), Tensor.FromArray(new long[] { 0, 1, 2 })));
    }
}

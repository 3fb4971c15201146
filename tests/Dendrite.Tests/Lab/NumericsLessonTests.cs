using Dendrite.Tests.Data;

namespace Dendrite.Tests.Lab;

// Dead ReLUs (NNDL 4.4.2) and the cross-entropy that takes log(0) (d2l 3.7): lessons about single numbers.
public sealed class NumericsLessonTests
{
    [Fact]
    public void DeadReluLeavesOnlyTheOutputBiasLearningAndALargerLeakySlopeHelps()
    {
        using var run = new LabRun("vanishing-gradients");
        for (int layer = 1; layer <= 5; layer++)
            Assert.Equal(0, run.Metric($"grad_norm_relu_b-8_layer{layer}"));
        // Every output is σ(−8), so the output bias gets σ(−8) − p̄, p̄ the share of positive labels among the 640 training points.
        double share = Math.Round(run.Metric("positive_share_train") * 640) / 640;
        Assert.Equal(1 / (1 + Math.Exp(8)) - share, run.Metric("output_bias_grad_relu_b-8"), 5);
        Assert.InRange(run.Metric("output_bias_grad_relu_b-8"), -0.6, -0.4);
        // The first layer's gradient passes four LeakyReLUs on negative inputs: (0.1 / 0.01)⁴ = 10⁴ times larger.
        double small = run.Metric("grad_norm_leakyrelu0.01_b-8_layer1"), large = run.Metric("grad_norm_leakyrelu0.1_b-8_layer1");
        Assert.True(small > 0);
        Assert.InRange(large / small, 0.99e4, 1.01e4);
        run.PassedCheck("dead ReLU: only the output bias learns");
        run.PassedCheck("a larger negative slope");
        Assert.Contains("LeakyReLU 0.01", run.Html);
        Assert.Contains("LeakyReLU 0.1", run.Html);
        Assert.Contains("∂L/∂b_out", run.Html);
    }

    [FashionMnistFact]
    public void NaiveCrossEntropyTakesLogOfZeroWhereTheFusedOneStaysFinite()
    {
        using var run = new LabRun("softmax-regression");
        Assert.Equal(double.PositiveInfinity, run.Metric("naive_ce_case1"));
        Assert.Equal(double.PositiveInfinity, run.Metric("naive_ce_case2"));
        Assert.True(double.IsNaN(run.Metric("naive_ce_case3")));
        Assert.Equal(110, run.Metric("fused_ce_case1"), 4);                          // logsumexp(−50, 60) + 50 = 110 + log(1 + e⁻¹¹⁰)
        Assert.Equal(90.0000227, run.Metric("fused_ce_case2"), 4);
        Assert.InRange(run.Metric("fused_ce_case3"), 0, 1e-4);
        Assert.Equal(5.18471e21, run.Metric("exp50_float32"), 1e16);
        run.PassedCheck("naive cross-entropy is ∞/NaN");
        Assert.Contains("Naive cross-entropy takes log(0)", run.Html);
        Assert.Contains("−∞", run.Html);
    }
}

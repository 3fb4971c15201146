using Dendrite.Tests.Data;

namespace Dendrite.Tests.Lab;

// DLFS 6.4 and the course's from-scratch dropout: the original form beside PyTorch's inverted one.
public sealed class DropoutLessonTests
{
    [FashionMnistFact]
    public void BothDropoutFormsAverageToTheirInferenceOutputWithDifferentTrainingScales()
    {
        using var run = new LabRun("regularization");
        Assert.Equal(1.25, run.Metric("dropout_inverted_kept_scale"), 12);
        Assert.Equal(1, run.Metric("dropout_inverted_inference_scale"), 12);
        Assert.Equal(1, run.Metric("dropout_original_kept_scale"), 12);
        Assert.Equal(0.8, run.Metric("dropout_original_inference_scale"), 12);
        // x₁₀ = 5: the inverted form's mean over 20000 masks is near 5, the original form's near 0.8·5 = 4.
        Assert.Equal(5, run.Metric("dropout_inverted_inference_x10"), 6);
        Assert.Equal(4, run.Metric("dropout_original_inference_x10"), 6);
        Assert.InRange(run.Metric("dropout_inverted_mean_x10"), 5 - 5 * 1.25 * 5 * 0.4 / Math.Sqrt(20000), 5 + 5 * 1.25 * 5 * 0.4 / Math.Sqrt(20000));
        Assert.InRange(run.Metric("dropout_original_mean_x10"), 4 - 5 * 5 * 0.4 / Math.Sqrt(20000), 4 + 5 * 5 * 0.4 / Math.Sqrt(20000));
        Assert.InRange(run.Metric("dropout_inverted_worst_sd"), 0, 5);
        Assert.InRange(run.Metric("dropout_original_worst_sd"), 0, 5);
        run.PassedCheck("each form's training-time output averages to its inference output");
        run.PassedCheck("training-time scales differ");
        // Both forms trained the same network; the report shows them side by side.
        Assert.InRange(run.Metric("test_acc_dropout"), 0.2, 1);
        Assert.InRange(run.Metric("test_acc_dropout_original"), 0.2, 1);
        Assert.Contains("dropout 0.2 (original)", run.Html);
        Assert.Contains("dropout 0.2 (inverted)", run.Html);
        Assert.Contains("Dropout, both forms", run.Html);
    }
}

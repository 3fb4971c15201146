using Dendrite.Ops;

namespace Dendrite.NN;

public static partial class F
{
    /// <summary>
    /// Batch normalization of [N, C] or [N, C, ...] with per-channel statistics over every dim but 1, then
    /// y = x̂·weight + bias. In training it normalizes with the biased batch variance and, when given, updates
    /// <paramref name="runningMean"/>/<paramref name="runningVar"/> in place (unbiased variance):
    /// running = (1 − momentum)·running + momentum·batch. In evaluation it normalizes with the running statistics.
    /// </summary>
    /// <param name="input">Input [N, C, ...].</param>
    /// <param name="runningMean">Running mean [C], updated in training; required in evaluation.</param>
    /// <param name="runningVar">Running variance [C], updated in training; required in evaluation.</param>
    /// <param name="weight">Optional scale γ [C].</param>
    /// <param name="bias">Optional shift β [C].</param>
    /// <param name="training">Use batch statistics (and update the running ones) rather than the running statistics.</param>
    /// <param name="momentum">Weight of the batch statistic in the running update.</param>
    /// <param name="eps">Added to the variance for numerical stability.</param>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null,
        Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        return BatchNormOp.Apply(input, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /// <summary>
    /// Layer normalization: each slice over the trailing dims <paramref name="normalizedShape"/> is normalized with its
    /// own mean and biased variance, then y = x̂·weight + bias (weight and bias of shape normalizedShape).
    /// </summary>
    /// <param name="input">Input [..., *normalizedShape].</param>
    /// <param name="normalizedShape">The trailing dimensions to normalize over.</param>
    /// <param name="weight">Optional elementwise scale of shape normalizedShape.</param>
    /// <param name="bias">Optional elementwise shift of shape normalizedShape.</param>
    /// <param name="eps">Added to the variance for numerical stability.</param>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        return LayerNormOp.Apply(input, normalizedShape, weight, bias, eps);
    }
}

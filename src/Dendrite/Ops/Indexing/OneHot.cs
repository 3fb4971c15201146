namespace Dendrite.Ops;

/// <summary>One-hot encoding of Int64 class labels (like <c>torch.nn.functional.one_hot</c>); not differentiable.</summary>
internal static class OneHot
{
    public static Tensor Apply(Tensor labels, int numClasses)
    {
        if (labels.DType != DType.Int64)
            throw new ArgumentException($"OneHot: labels must be an Int64 tensor, got {labels.DType}.");
        if (numClasses < -1)
            throw new ArgumentException($"OneHot: numClasses must be positive (or -1 to infer it), got {numClasses}.");
        if (numClasses == -1)
        {
            if (labels.Numel == 0)
                throw new ArgumentException("OneHot: cannot infer the number of classes from an empty tensor; pass numClasses.");
            numClasses = checked((int)(Math.Max(0, labels.Max().Item<long>()) + 1));
        }
        if (labels.Backend.FindOutOfRange(labels.Raw, numClasses) is var (i, v))
            throw new ArgumentOutOfRangeException(nameof(labels), $"OneHot: label {v} (at position {i}) is out of range for {numClasses} classes (expected 0 <= label < {numClasses}).");
        // y[..., c] = (label == c)
        var classes = Tensor.Arange(0, numClasses, 1, DType.Int64, labels.Device);
        return labels.Unsqueeze(-1).Eq(classes).To(DType.Int64);
    }
}

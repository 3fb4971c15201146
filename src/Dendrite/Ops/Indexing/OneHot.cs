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
        var src = labels.IsContiguous ? labels : labels.CopyDense();
        var values = src.Span<long>();
        if (numClasses == -1)
        {
            if (values.Length == 0)
                throw new ArgumentException("OneHot: cannot infer the number of classes from an empty tensor; pass numClasses.");
            long max = 0;
            foreach (long v in values)
                max = Math.Max(max, v);
            numClasses = checked((int)(max + 1));
        }
        for (int i = 0; i < values.Length; i++)
            if ((ulong)values[i] >= (ulong)numClasses)
                throw new ArgumentOutOfRangeException(nameof(labels), $"OneHot: label {values[i]} (at position {i}) is out of range for {numClasses} classes (expected 0 <= label < {numClasses}).");
        var shape = new int[labels.Rank + 1];
        labels.ShapeArray.CopyTo(shape, 0);
        shape[^1] = numClasses;
        var y = Tensor.Allocate(shape, DType.Int64, true);
        var dst = y.Span<long>();
        for (int i = 0; i < values.Length; i++)
            dst[i * numClasses + (int)values[i]] = 1;
        return y;
    }
}

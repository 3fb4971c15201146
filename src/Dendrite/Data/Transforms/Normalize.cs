namespace Dendrite.Data.Transforms;

/// <summary>
/// Per-channel standardisation <c>(x - mean[c]) / std[c]</c> of a float [C, H, W] image (or a single mean/std for
/// any shape), like torchvision's <c>Normalize</c>.
/// </summary>
public sealed class Normalize : ITransform
{
    private readonly double[] _mean;
    private readonly double[] _std;

    /// <summary>Normalizes with one mean and std per channel (or one value for all elements).</summary>
    public Normalize(double[] mean, double[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length == 0 || mean.Length != std.Length)
            throw new ArgumentException($"Normalize: mean and std need the same non-zero length, got {mean.Length} and {std.Length}.");
        foreach (double s in std)
            if (!(s > 0) || double.IsInfinity(s))
                throw new ArgumentException($"Normalize: every std must be positive and finite, got [{string.Join(", ", std)}].");
        _mean = (double[])mean.Clone();
        _std = (double[])std.Clone();
    }

    /// <summary>Normalizes every element with one <paramref name="mean"/> and <paramref name="std"/>.</summary>
    public Normalize(double mean, double std) : this([mean], [std])
    {
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.CheckFloating("Normalize");
        int channels = _mean.Length;
        if (channels > 1 && (input.Rank != 3 || input.Size(0) != channels))
            throw new ArgumentException($"Normalize: {channels} channel means need a [C, H, W] input with C = {channels}, got shape {ShapeUtil.Format(input.ShapeArray)}.");
        var shape = channels > 1 ? new[] { channels, 1, 1 } : new[] { 1 };
        var mean = new Tensor(input.Backend.FromHost((double[])_mean.Clone()), shape).To(input.DType);
        var std = new Tensor(input.Backend.FromHost((double[])_std.Clone()), shape).To(input.DType);
        return (input.Detach() - mean) / std;
    }
}

namespace Dendrite.Data.Transforms;

/// <summary>Mirrors an image left-right (last dimension) with probability <see cref="P"/>, drawn from a seeded generator.</summary>
public sealed class RandomHorizontalFlip : ITransform
{
    private readonly Generator _generator;

    /// <summary>Flips with probability <paramref name="p"/>, drawing from <paramref name="generator"/> (default <see cref="Generator.Default"/>).</summary>
    public RandomHorizontalFlip(double p = 0.5, Generator? generator = null)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), $"RandomHorizontalFlip: p must be in [0, 1], got {p}.");
        P = p;
        _generator = generator ?? Generator.Default;
    }

    /// <summary>The flip probability.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2)
            throw new ArgumentException($"RandomHorizontalFlip: expected an image [..., H, W], got shape {ShapeUtil.Format(input.ShapeArray)}.");
        // One uniform per call, flip when it falls below p (torch: torch.rand(1) < p).
        if (_generator.Uniform01() >= P)
            return input;
        var src = input.Detach().Contiguous();
        var dst = Tensor.Allocate((int[])src.ShapeArray.Clone(), src.DType, false);
        int w = src.Size(-1);
        int rows = w == 0 ? 0 : src.Numel / w;
        switch (src.DType)
        {
            case DType.Float32: FlipRows<float>(src, dst, rows, w); break;
            case DType.Float64: FlipRows<double>(src, dst, rows, w); break;
            case DType.Int64: FlipRows<long>(src, dst, rows, w); break;
            default: FlipRows<bool>(src, dst, rows, w); break;
        }
        return dst;
    }

    private static void FlipRows<T>(Tensor src, Tensor dst, int rows, int w) where T : unmanaged
    {
        var s = src.Span<T>();
        var d = dst.Span<T>();
        for (int r = 0; r < rows; r++)
        {
            var row = d.Slice(r * w, w);
            s.Slice(r * w, w).CopyTo(row);
            row.Reverse();
        }
    }
}

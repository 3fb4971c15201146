using Dendrite.Backends.Cpu;

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
        var src = input.Detach();
        int w = src.Size(-1);
        if (!src.Device.IsCpu)
        {
            // On another device: one index_select with the reversed column order, run there.
            var reversed = new long[w];
            for (int x = 0; x < w; x++)
                reversed[x] = w - 1 - x;
            return src.IndexSelect(-1, new Tensor(src.Backend.FromHost(reversed), [w]));
        }
        src = src.Contiguous();
        var dst = Tensor.AllocateHost((int[])src.ShapeArray.Clone(), src.DType, false);
        int rows = w == 0 ? 0 : src.Numel / w;
        CpuRows.Reverse(src.Raw, rows, w, dst.Raw);
        return dst;
    }
}

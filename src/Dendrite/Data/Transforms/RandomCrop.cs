namespace Dendrite.Data.Transforms;

/// <summary>
/// Zero-pads an image [C, H, W] or [H, W] by <see cref="Padding"/> on every side, then cuts a random
/// <see cref="Height"/>×<see cref="Width"/> window (torchvision's <c>RandomCrop(size, padding)</c>), drawn from a seeded generator.
/// The crop is cut in host memory and returned on the input's device.
/// </summary>
public sealed class RandomCrop : ITransform
{
    private readonly Generator _generator;

    /// <summary>Crops a square of <paramref name="size"/> after padding by <paramref name="padding"/>.</summary>
    public RandomCrop(int size, int padding = 0, Generator? generator = null) : this(size, size, padding, generator)
    {
    }

    /// <summary>Crops <paramref name="height"/>×<paramref name="width"/> after padding by <paramref name="padding"/>.</summary>
    public RandomCrop(int height, int width, int padding, Generator? generator = null)
    {
        if (height < 1 || width < 1)
            throw new ArgumentOutOfRangeException(nameof(height), $"RandomCrop: crop size must be positive, got {height}x{width}.");
        if (padding < 0)
            throw new ArgumentOutOfRangeException(nameof(padding), $"RandomCrop: padding must be non-negative, got {padding}.");
        Height = height;
        Width = width;
        Padding = padding;
        _generator = generator ?? Generator.Default;
    }

    /// <summary>Crop height.</summary>
    public int Height { get; }

    /// <summary>Crop width.</summary>
    public int Width { get; }

    /// <summary>Zero padding added on each side before cropping.</summary>
    public int Padding { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (2 or 3))
            throw new ArgumentException($"RandomCrop: expected [C, H, W] or [H, W], got shape {ShapeUtil.Format(input.ShapeArray)}.");
        input.CheckFloating("RandomCrop");
        int c = input.Rank == 3 ? input.Size(0) : 1;
        int h = input.Size(-2), w = input.Size(-1);
        int ph = h + 2 * Padding, pw = w + 2 * Padding;
        if (ph < Height || pw < Width)
            throw new ArgumentException($"RandomCrop: crop {Height}x{Width} is larger than the padded image {ph}x{pw} (input {ShapeUtil.Format(input.ShapeArray)}, padding {Padding}).");
        int top = (int)_generator.NextInt64(0, ph - Height + 1);
        int left = (int)_generator.NextInt64(0, pw - Width + 1);
        // The window is cut in host memory (one copy from the device when the image is elsewhere).
        var src = input.Detach().ToArray<double>();
        var outShape = input.Rank == 3 ? new[] { c, Height, Width } : new[] { Height, Width };
        var dst = new double[c * Height * Width];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < Height; y++)
            {
                int sy = top + y - Padding; // row in the unpadded image
                if (sy < 0 || sy >= h)
                    continue;
                for (int x = 0; x < Width; x++)
                {
                    int sx = left + x - Padding;
                    if (sx >= 0 && sx < w)
                        dst[(ch * Height + y) * Width + x] = src[(ch * h + sy) * w + sx];
                }
            }
        var crop = Tensor.Wrap(dst, outShape).To(input.DType);
        return input.Device.IsCpu ? crop : Ops.ToDeviceOp.Copy(crop, input.Backend);
    }
}

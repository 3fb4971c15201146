using Dendrite.Data.Transforms;

namespace Dendrite.Data.Datasets;

/// <summary>
/// An image-classification dataset kept as 8-bit pixels in memory (one byte per pixel, not float32), converted to
/// float32 in [0, 1] only when samples or batches are read. Sample <c>i</c> is <c>[image, label]</c>: the image is
/// float32 [C, H, W] (or [C·H·W] with <see cref="Flatten"/>), then <see cref="Transform"/> if any; the label is an
/// Int64 scalar. <see cref="GetBatch"/> gathers and scales in one pass straight into the batch tensor.
/// </summary>
public abstract class ByteImageDataset : IDataset<Tensor[]>, IBatchDataset
{
    private readonly byte[] _pixels;
    private readonly byte[] _labels;
    private readonly int _imageSize;
    private readonly int[] _imageShape;

    /// <summary>Wraps <paramref name="pixels"/> (count × channels × height × width bytes) and one label byte per image.</summary>
    protected ByteImageDataset(byte[] pixels, byte[] labels, int channels, int height, int width,
        IReadOnlyList<string> classes, bool flatten, ITransform? transform)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classes);
        _imageSize = checked(channels * height * width);
        if (_imageSize <= 0 || pixels.Length != (long)labels.Length * _imageSize)
            throw new ArgumentException($"{GetType().Name}: {pixels.Length} pixel bytes do not hold {labels.Length} images of {channels}x{height}x{width}.");
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] >= classes.Count)
                throw new ArgumentException($"{GetType().Name}: label {labels[i]} of sample {i} is outside the {classes.Count} classes 0..{classes.Count - 1}.");
        _pixels = pixels;
        _labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        Classes = classes;
        Flatten = flatten;
        Transform = transform;
        _imageShape = flatten ? [_imageSize] : [channels, height, width];
    }

    /// <inheritdoc/>
    public int Count => _labels.Length;

    /// <summary>Image channels.</summary>
    public int Channels { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Class names, indexed by label.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Whether images come out flattened to [C·H·W].</summary>
    public bool Flatten { get; }

    /// <summary>An optional per-sample transform applied to the float32 image.</summary>
    public ITransform? Transform { get; }

    /// <summary>The shape of one image as returned (before <see cref="Transform"/>).</summary>
    public IReadOnlyList<int> ImageShape => _imageShape;

    /// <summary>The raw pixel bytes of image <paramref name="index"/> (channels first, row-major).</summary>
    public ReadOnlySpan<byte> GetImageBytes(int index)
    {
        DatasetExtensions.CheckIndex(index, Count, GetType().Name);
        return _pixels.AsSpan(index * _imageSize, _imageSize);
    }

    /// <summary>The label of sample <paramref name="index"/>.</summary>
    public int GetLabel(int index)
    {
        DatasetExtensions.CheckIndex(index, Count, GetType().Name);
        return _labels[index];
    }

    /// <summary>All labels as an Int64 tensor [Count].</summary>
    public Tensor Labels
    {
        get
        {
            var l = new long[_labels.Length];
            for (int i = 0; i < l.Length; i++)
                l[i] = _labels[i];
            return Tensor.Wrap(l, l.Length);
        }
    }

    /// <summary>Number of samples of each class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes.Count];
        foreach (byte b in _labels)
            counts[b]++;
        return counts;
    }

    /// <summary><c>[image float32, label Int64 scalar]</c> of sample <paramref name="index"/>.</summary>
    public Tensor[] this[int index]
    {
        get
        {
            var image = Tensor.AllocateHost((int[])_imageShape.Clone(), DType.Float32, false);
            ToTensor.ScaleInto(GetImageBytes(index), Backends.Cpu.CpuViews.Span<float>(image.Raw));
            if (Transform is not null)
                image = Transform.Apply(image);
            return [image, Tensor.Wrap(new long[] { _labels[index] })];
        }
    }

    /// <summary>Always true (with a transform, samples are transformed one by one and then stacked).</summary>
    public bool CanGatherBatches => true;

    /// <summary>
    /// <c>[images float32 [B, ...image shape], labels Int64 [B]]</c>. Without a transform this is one fused
    /// gather-and-scale pass over the bytes.
    /// </summary>
    public Tensor[] GetBatch(ReadOnlySpan<int> indices)
    {
        foreach (int i in indices)
            DatasetExtensions.CheckIndex(i, Count, GetType().Name + ".GetBatch");
        var labels = new long[indices.Length];
        for (int k = 0; k < indices.Length; k++)
            labels[k] = _labels[indices[k]];
        Tensor images;
        if (Transform is null)
        {
            var shape = new int[_imageShape.Length + 1];
            shape[0] = indices.Length;
            _imageShape.CopyTo(shape, 1);
            images = Tensor.AllocateHost(shape, DType.Float32, false);
            float[] dst = Backends.Cpu.CpuViews.Array<float>(images.Raw);   // a fresh CPU tensor: the host data path writes it in place
            int n = indices.Length, chunks = GatherChunks(n);
            if (chunks <= 1)
                GatherRows(_pixels, _imageSize, indices, dst, 0);
            else
            {
                // Each chunk is a run of rows with its own prefetch pipeline; the batch array's rows are disjoint.
                int[] rows = indices.ToArray();
                byte[] pixels = _pixels;
                int size = _imageSize;
                Backends.Cpu.CpuParallel.For(chunks, c =>
                {
                    int lo = (int)((long)n * c / chunks), hi = (int)((long)n * (c + 1) / chunks);
                    GatherRows(pixels, size, rows.AsSpan(lo, hi - lo), dst, lo);
                });
            }
        }
        else
        {
            var samples = new Tensor[indices.Length];
            for (int k = 0; k < indices.Length; k++)
                samples[k] = this[indices[k]][0];
            images = Collate.StackTensors(samples);
        }
        return [images, Tensor.Wrap(labels, labels.Length)];
    }

    /// <summary>Rows per chunk below which a batch is gathered on one thread (a chunk must outweigh a wake-up).</summary>
    private const int MinRowsPerChunk = 32;

    private static int GatherChunks(int rows)
    {
        int threads = Threads.Count;
        // Two chunks per thread: a thread that starts late (descheduled, sharing its core) takes fewer rows.
        return threads <= 1 ? 1 : Math.Clamp(rows / MinRowsPerChunk, 1, 2 * threads);
    }

    /// <summary>Scales the images <paramref name="indices"/> into rows first, first + 1, ... of the batch array.</summary>
    private static void GatherRows(byte[] pixels, int imageSize, ReadOnlySpan<int> indices, float[] batch, int first)
    {
        var dst = batch.AsSpan(first * imageSize, indices.Length * imageSize);
        // Rows are scattered (a shuffled batch): prefetch a few rows ahead so each starts in cache.
        const int Ahead = 8; // 8 rows of 784 bytes keep ~100 line fills in flight (measured best of 4/8/16/32)
        // The destination is fresh memory that is usually out of cache too (the GC hands out the young generation
        // in turn, megabytes apart): its lines are requested two rows ahead as well (gather 41 -> 39 µs in W3).
        const int DstAhead = 2;
        for (int k = 0; k < Math.Min(Ahead, indices.Length); k++)
            Backends.Cpu.Prefetch.Range<byte>(pixels.AsSpan(indices[k] * imageSize, imageSize));
        for (int k = 0; k < Math.Min(DstAhead, indices.Length); k++)
            Backends.Cpu.Prefetch.Range<float>(dst.Slice(k * imageSize, imageSize));
        for (int k = 0; k < indices.Length; k++)
        {
            if (k + Ahead < indices.Length)
                Backends.Cpu.Prefetch.Range<byte>(pixels.AsSpan(indices[k + Ahead] * imageSize, imageSize));
            if (k + DstAhead < indices.Length)
                Backends.Cpu.Prefetch.Range<float>(dst.Slice((k + DstAhead) * imageSize, imageSize));
            ToTensor.ScaleInto(pixels.AsSpan(indices[k] * imageSize, imageSize), dst.Slice(k * imageSize, imageSize));
        }
    }
}

using System.Buffers.Binary;
using System.IO.Compression;

namespace Dendrite.Cli.Lab.Common;

/// <summary>A labelled data set held in memory: features [N, ...] and labels [N].</summary>
public sealed record LabeledData(Tensor X, Tensor Y)
{
    /// <summary>The number of samples.</summary>
    public int Count => X.Size(0);

    /// <summary>Rows [start, start + length).</summary>
    public LabeledData Slice(int start, int length) => new(X.Narrow(0, start, length), Y.Narrow(0, start, length));

    /// <summary>The rows at the given indices (a copy).</summary>
    public LabeledData Take(Tensor indices) => new(X.IndexSelect(0, indices), Y.IndexSelect(0, indices));

    /// <summary>The same samples in a random order.</summary>
    public LabeledData Shuffle(Generator rng) => Take(Indices(rng.Permutation(Count)));

    /// <summary>An int64 index tensor.</summary>
    public static Tensor Indices(int[] idx) => Tensor.FromArray(idx, idx.Length);
}

/// <summary>The lab's data sets: two-moons and circles generators, and Fashion-MNIST from its IDX files.</summary>
public static class LabDatasets
{
    /// <summary>The Fashion-MNIST class names, in label order.</summary>
    public static readonly string[] FashionClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Two interleaving half circles (scikit-learn's make_moons): the upper moon is class 0, the lower one (shifted
    /// by (1, −0.5)) class 1, with Gaussian noise; samples alternate between classes in a random order.
    /// </summary>
    /// <returns>X [n, 2] float32 and Y [n] float32 holding 0 or 1.</returns>
    public static LabeledData Moons(int n, double noise, Generator rng)
    {
        int nOuter = n / 2, nInner = n - nOuter;
        var x = new float[n * 2];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            bool outer = i < nOuter;
            int k = outer ? i : i - nOuter, m = outer ? nOuter : nInner;
            double t = Math.PI * k / Math.Max(m - 1, 1);
            double px = outer ? Math.Cos(t) : 1 - Math.Cos(t);
            double py = outer ? Math.Sin(t) : 0.5 - Math.Sin(t);
            x[2 * i] = (float)(px + noise * rng.Normal());
            x[2 * i + 1] = (float)(py + noise * rng.Normal());
            y[i] = outer ? 0 : 1;
        }
        return new LabeledData(Tensor.FromArray(x, n, 2), Tensor.FromArray(y, n)).Shuffle(rng);
    }

    /// <summary>Two concentric circles (radius 1 is class 0, radius <paramref name="factor"/> class 1) with noise.</summary>
    public static LabeledData Circles(int n, double noise, double factor, Generator rng)
    {
        var x = new float[n * 2];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            bool outer = i < n / 2;
            double t = 2 * Math.PI * rng.Uniform01(), r = outer ? 1 : factor;
            x[2 * i] = (float)(r * Math.Cos(t) + noise * rng.Normal());
            x[2 * i + 1] = (float)(r * Math.Sin(t) + noise * rng.Normal());
            y[i] = outer ? 0 : 1;
        }
        return new LabeledData(Tensor.FromArray(x, n, 2), Tensor.FromArray(y, n)).Shuffle(rng);
    }

    /// <summary>
    /// Fashion-MNIST from its IDX files (plain or gzipped): images [N, 1, 28, 28] float32 scaled to [0, 1] and
    /// labels [N] int64; <paramref name="limit"/> keeps the first samples only.
    /// </summary>
    public static LabeledData FashionMnist(string dir, bool train, int? limit = null)
    {
        string prefix = train ? "train" : "t10k";
        byte[] images = ReadIdx(dir, $"{prefix}-images-idx3-ubyte", 3, out int[] imageDims);
        byte[] labels = ReadIdx(dir, $"{prefix}-labels-idx1-ubyte", 1, out int[] labelDims);
        if (imageDims[0] != labelDims[0])
            throw new InvalidDataException($"Fashion-MNIST in {dir}: {imageDims[0]} images but {labelDims[0]} labels");
        int n = Math.Min(limit ?? imageDims[0], imageDims[0]);
        int h = imageDims[1], w = imageDims[2];
        var x = new float[n * h * w];
        for (int i = 0; i < x.Length; i++) x[i] = images[i] / 255f;
        var y = new long[n];
        for (int i = 0; i < n; i++) y[i] = labels[i];
        return new LabeledData(Tensor.FromArray(x, n, 1, h, w), Tensor.FromArray(y, n));
    }

    // IDX: big-endian magic (0x00 0x00 type=0x08 rank), rank big-endian int32 dims, then the unsigned bytes.
    private static byte[] ReadIdx(string dir, string name, int rank, out int[] dims)
    {
        string path = Path.Combine(dir, name);
        byte[] raw;
        if (File.Exists(path)) raw = File.ReadAllBytes(path);
        else if (File.Exists(path + ".gz"))
        {
            using var gz = new GZipStream(File.OpenRead(path + ".gz"), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            raw = ms.ToArray();
        }
        else throw new FileNotFoundException($"Fashion-MNIST file {name}[.gz] not found in {dir}", path);
        if (raw.Length < 4 + 4 * rank || raw[0] != 0 || raw[1] != 0 || raw[2] != 8 || raw[3] != rank)
            throw new InvalidDataException($"{path}: not an IDX file of unsigned bytes with {rank} dimensions");
        dims = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(4 + 4 * d));
            count *= dims[d];
        }
        int offset = 4 + 4 * rank;
        if (raw.Length - offset < count)
            throw new InvalidDataException($"{path}: header promises {count} values but the file holds {raw.Length - offset}");
        return raw.AsSpan(offset, (int)count).ToArray();
    }
}

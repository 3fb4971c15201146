using Dendrite.Data;
using Dendrite.Data.Datasets;

namespace Dendrite.Tests.Data;

public sealed class Cifar10Tests
{
    private static (byte[] Labels, byte[] Pixels) Records(int n, int seed)
    {
        var rnd = new Random(seed);
        var labels = Enumerable.Range(0, n).Select(i => (byte)((i + seed) % 10)).ToArray();
        var pixels = new byte[n * 3072];
        rnd.NextBytes(pixels);
        return (labels, pixels);
    }

    [Fact]
    public void ReadsGeneratedBinaryBatches()
    {
        using var dir = new TempDir();
        var parts = Enumerable.Range(1, 5).Select(i => Records(i + 1, i)).ToArray();
        for (int i = 0; i < 5; i++)
            Cifar10.WriteBatchFile(dir.File($"data_batch_{i + 1}.bin"), parts[i].Labels, parts[i].Pixels);
        var test = Records(3, 9);
        Cifar10.WriteBatchFile(dir.File("test_batch.bin"), test.Labels, test.Pixels);

        var train = new Cifar10(root: dir.Path, train: true);
        Assert.Equal(2 + 3 + 4 + 5 + 6, train.Count);
        Assert.Equal("truck", train.Classes[9]);
        var allLabels = parts.SelectMany(p => p.Labels).Select(b => (long)b).ToArray();
        Assert.Equal(allLabels, train.Labels.ToArray<long>());
        // Sample 2 is the first record of data_batch_2: channels-first [3, 32, 32], pixels / 255.
        var s = train[2];
        Assert.Equal(new[] { 3, 32, 32 }, s[0].Shape);
        Assert.Equal(parts[1].Pixels.Take(3072).Select(b => b / 255f).ToArray(), s[0].ToArray<float>());
        Assert.Equal((long)parts[1].Labels[0], s[1].Item<long>());

        var t = new Cifar10(root: dir.Path, train: false, flatten: true);
        Assert.Equal(3, t.Count);
        var (x, y) = new DataLoader(t, batchSize: 3).First();
        Assert.Equal(new[] { 3, 3072 }, x.Shape);
        Assert.Equal(test.Pixels.Select(b => b / 255f).ToArray(), x.ToArray<float>());
        Assert.Equal(test.Labels.Select(b => (long)b).ToArray(), y.ToArray<long>());
    }

    [Fact]
    public void TruncatedOrBadFilesAreErrors()
    {
        using var dir = new TempDir();
        var r = Records(2, 1);
        Cifar10.WriteBatchFile(dir.File("test_batch.bin"), r.Labels, r.Pixels);
        var bytes = File.ReadAllBytes(dir.File("test_batch.bin"));
        File.WriteAllBytes(dir.File("test_batch.bin"), bytes[..^100]);
        var e = Assert.Throws<DatasetFileException>(() => new Cifar10(root: dir.Path, train: false));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("1 records and 2973 bytes left over", e.Message);
        bytes[Cifar10.RecordSize] = 11;
        File.WriteAllBytes(dir.File("test_batch.bin"), bytes);
        e = Assert.Throws<DatasetFileException>(() => new Cifar10(root: dir.Path, train: false));
        Assert.Contains("record 1 has label 11", e.Message);
        e = Assert.Throws<DatasetFileException>(() => new Cifar10(root: dir.Path, train: true));
        Assert.Contains("data_batch_1.bin", e.Message);
    }
}

using System.IO.Compression;
using Dendrite.Data.Datasets;

namespace Dendrite.Tests.Data;

public sealed class IdxTests
{
    private static byte[] Pixels(int n, int rows, int cols)
    {
        var p = new byte[n * rows * cols];
        for (int i = 0; i < p.Length; i++)
            p[i] = (byte)(i * 7 % 256);
        return p;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsWhatWasWritten(bool gzip)
    {
        using var dir = new TempDir();
        var px = Pixels(5, 3, 4);
        Idx.Write(dir.File("img"), px, [5, 3, 4], gzip);
        var a = Idx.Read(dir.File("img"), Idx.ImagesMagic);
        Assert.Equal(new[] { 5, 3, 4 }, a.Dims);
        Assert.Equal(px, a.Data);
        var raw = File.ReadAllBytes(dir.File("img"));
        if (gzip)
            Assert.Equal(new byte[] { 0x1F, 0x8B }, raw[..2]);
        else
            Assert.Equal(new byte[] { 0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 3, 0, 0, 0, 4 }, raw[..16]);
    }

    [Fact]
    public void BadMagicNumberNamesFileAndValues()
    {
        using var dir = new TempDir();
        Idx.Write(dir.File("labels"), new byte[] { 1, 2, 3 }, [3]);
        var e = Assert.Throws<DatasetFileException>(() => Idx.Read(dir.File("labels"), Idx.ImagesMagic));
        Assert.Contains("bad magic number 0x00000801", e.Message);
        Assert.Contains("0x00000803", e.Message);
        Assert.Contains(dir.File("labels"), e.Message);
        File.WriteAllBytes(dir.File("junk"), [0x50, 0x4B, 3, 4, 0, 0, 0, 0]);
        e = Assert.Throws<DatasetFileException>(() => Idx.Read(dir.File("junk")));
        Assert.Contains("bad magic number 0x504B0304", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedFileSaysExpectedAndActualBytes(bool gzip)
    {
        using var dir = new TempDir();
        var px = Pixels(4, 2, 2);
        var path = dir.File("t");
        // Header declares 4 images of 2x2 = 16 bytes but only 10 follow.
        var header = new byte[] { 0, 0, 8, 3, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 2 };
        var content = header.Concat(px.Take(10)).ToArray();
        if (gzip)
        {
            using var fs = File.Create(path);
            using var z = new GZipStream(fs, CompressionLevel.Fastest);
            z.Write(content);
        }
        else
            File.WriteAllBytes(path, content);
        var e = Assert.Throws<DatasetFileException>(() => Idx.Read(path, Idx.ImagesMagic));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("need 16 bytes", e.Message);
        Assert.Contains("got 10", e.Message);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void CutGzipStreamIsAnError()
    {
        using var dir = new TempDir();
        var px = new byte[20000];
        new Random(3).NextBytes(px);
        Idx.Write(dir.File("z"), px, [20000], gzip: true);
        var bytes = File.ReadAllBytes(dir.File("z"));
        File.WriteAllBytes(dir.File("cut"), bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<DatasetFileException>(() => Idx.Read(dir.File("cut"), Idx.LabelsMagic));
        Assert.True(e.Message.Contains("truncated") || e.Message.Contains("corrupt"), e.Message);
    }

    [Fact]
    public void TruncatedHeaderAndExtraBytesAreErrors()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("h"), [0, 0, 8, 3, 0, 0, 0, 4, 0, 0]);
        var e = Assert.Throws<DatasetFileException>(() => Idx.Read(dir.File("h")));
        Assert.Contains("expected a 16-byte header, got 10 bytes", e.Message);
        File.WriteAllBytes(dir.File("x"), [0, 0, 8, 1, 0, 0, 0, 2, 5, 6, 7, 8]);
        e = Assert.Throws<DatasetFileException>(() => Idx.Read(dir.File("x"), Idx.LabelsMagic));
        Assert.Contains("2 unexpected bytes", e.Message);
    }

    [Fact]
    public void Md5MismatchForKnownFileNameIsAnError()
    {
        using var dir = new TempDir();
        // Structurally valid small files under the official names: they load without checksums and fail with them.
        Idx.Write(dir.File("train-images-idx3-ubyte.gz"), Pixels(3, 28, 28), [3, 28, 28], gzip: true);
        Idx.Write(dir.File("train-labels-idx1-ubyte.gz"), new byte[] { 0, 9, 4 }, [3], gzip: true);
        var ds = new FashionMnist(root: dir.Path, train: true, verifyChecksums: false);
        Assert.Equal(3, ds.Count);
        var e = Assert.Throws<DatasetFileException>(() => new FashionMnist(root: dir.Path, train: true));
        Assert.Contains("MD5 mismatch", e.Message);
        Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
        Assert.Contains("8d4fb7e6c68d591d4c3dfef9ec88bf0d", e.Message);
    }

    [Fact]
    public void MissingFilesSayHowToInstall()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<DatasetFileException>(() => new FashionMnist(root: dir.Path, train: false));
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", e.Message);
        Assert.Contains("t10k-images-idx3-ubyte", e.Message);
        Assert.Contains(dir.Path, e.Message);
    }

    [Fact]
    public void CountMismatchBetweenImagesAndLabels()
    {
        using var dir = new TempDir();
        Idx.Write(dir.File("t10k-images-idx3-ubyte"), Pixels(3, 2, 2), [3, 2, 2]);
        Idx.Write(dir.File("t10k-labels-idx1-ubyte"), new byte[] { 1, 2 }, [2]);
        var e = Assert.Throws<DatasetFileException>(() => new Mnist(root: dir.Path, train: false, verifyChecksums: false));
        Assert.Contains("3 images", e.Message);
        Assert.Contains("2 labels", e.Message);
    }

    [Fact]
    public void SmallMnistLayoutGivesScaledImagesAndLabels()
    {
        using var dir = new TempDir();
        var px = Pixels(4, 2, 3);
        Idx.Write(dir.File("t10k-images-idx3-ubyte"), px, [4, 2, 3]);
        Idx.Write(dir.File("t10k-labels-idx1-ubyte.gz"), new byte[] { 3, 1, 4, 1 }, [4], gzip: true);
        var ds = new Mnist(root: dir.Path, train: false, verifyChecksums: false);
        Assert.Equal(4, ds.Count);
        var s = ds[2];
        Assert.Equal(new[] { 1, 2, 3 }, s[0].Shape);
        Assert.Equal(DType.Float32, s[0].DType);
        var expected = px.Skip(12).Take(6).Select(b => b / 255f).ToArray();
        Assert.Equal(expected, s[0].ToArray<float>());
        Assert.Equal(4L, s[1].Item<long>());
        var b = ds.GetBatch([3, 0]);
        Assert.Equal(new[] { 2, 1, 2, 3 }, b[0].Shape);
        Assert.Equal(px.Skip(18).Take(6).Concat(px.Take(6)).Select(v => v / 255f).ToArray(), b[0].ToArray<float>());
        Assert.Equal(new long[] { 1, 3 }, b[1].ToArray<long>());
    }

    [Fact]
    public void DataRootUsesArgumentThenEnvironmentThenSystemFolder()
    {
        Assert.Equal("/x/y", DataRoot.Resolve("fashion-mnist", "/x/y", "/data"));
        Assert.Equal("/data/fashion-mnist", DataRoot.Resolve("fashion-mnist", null, "/data"));
        Assert.Equal("/usr/share/datasets/fashion-mnist", DataRoot.Resolve("fashion-mnist", null, null));
    }

    [FashionMnistFact]
    public void RealFashionMnistHasBalancedClasses()
    {
        var train = new FashionMnist(train: true);
        var test = new FashionMnist(train: false);
        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.All(train.ClassCounts(), c => Assert.Equal(6000, c));
        Assert.All(test.ClassCounts(), c => Assert.Equal(1000, c));
        Assert.Equal(new[] { 1, 28, 28 }, train.ImageShape);
        Assert.Equal("Ankle boot", train.Classes[9]);
        var b = train.GetBatch([0, 59999]);
        var v = b[0].ToArray<float>();
        Assert.All(v, x => Assert.InRange(x, 0f, 1f));
        Assert.Contains(v, x => x > 0.5f);
    }
}

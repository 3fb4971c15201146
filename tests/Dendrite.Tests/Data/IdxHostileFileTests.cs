using System.IO.Compression;
using Dendrite.Data.Datasets;

namespace Dendrite.Tests.Data;

// IDX files that lie: headers claiming more than the file holds, bytes appended after a gzip stream, labels outside
// the classes. Each is an error naming the file, found before anything big is allocated.
public sealed class IdxHostileFileTests
{
    private static readonly byte[] HugeClaim = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0xB5, 0x05, 0, 0, 0xB5, 0x04]; // [1, 46341, 46340]: 2.1 GB

    private static void WriteGzip(string path, params byte[][] members)
    {
        using var fs = File.Create(path);
        foreach (var m in members)
        {
            using var z = new GZipStream(fs, CompressionLevel.Fastest, leaveOpen: true);
            z.Write(m);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AHeaderClaimingGigabytesFailsBeforeAllocatingThem(bool gzip)
    {
        using var dir = new TempDir();
        string path = dir.File("claim");
        if (gzip)
            WriteGzip(path, HugeClaim);
        else
            File.WriteAllBytes(path, HugeClaim);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DatasetFileException>(() => Idx.Read(path, Idx.ImagesMagic));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 4 << 20, $"{allocated} bytes allocated"); // not the 2,147,488,740 bytes the header claims
        Assert.Equal(path, e.FilePath);
        Assert.Contains("[1, 46341, 46340]", e.Message);
        Assert.Contains(gzip ? "compressed bytes can hold" : "truncated", e.Message);
    }

    [Fact]
    public void GarbageAfterTheGzipStreamIsAnError()
    {
        using var dir = new TempDir();
        Idx.Write(dir.File("ok"), [1, 2, 3, 4], [4], gzip: true);
        var clean = File.ReadAllBytes(dir.File("ok"));
        foreach (var tail in new[] { "garbage!!"u8.ToArray(), new byte[10], new byte[] { 0x1F } })
        {
            File.WriteAllBytes(dir.File("tail"), [.. clean, .. tail]);
            var e = Assert.Throws<DatasetFileException>(() => Idx.Read(dir.File("tail"), Idx.LabelsMagic));
            Assert.Contains("extra bytes after its gzip stream", e.Message);
            Assert.Equal(dir.File("tail"), e.FilePath);
        }
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, Idx.Read(dir.File("ok"), Idx.LabelsMagic).Data);
    }

    [Fact]
    public void ConcatenatedGzipMembersAreStillOneValidFile()
    {
        using var dir = new TempDir();
        var content = new byte[] { 0, 0, 8, 1, 0, 0, 0, 5, 10, 20, 30, 40, 50 };
        foreach (int cut in new[] { 3, 8, 11, 13 })
        {
            WriteGzip(dir.File("multi"), content[..cut], content[cut..]);
            var a = Idx.Read(dir.File("multi"), Idx.LabelsMagic);
            Assert.Equal(new byte[] { 10, 20, 30, 40, 50 }, a.Data);
        }
    }

    [Fact]
    public void ALabelOutsideTheClassesNamesTheLabelFile()
    {
        using var dir = new TempDir();
        Idx.Write(dir.File("t10k-images-idx3-ubyte"), new byte[3 * 4], [3, 2, 2]);
        Idx.Write(dir.File("t10k-labels-idx1-ubyte.gz"), new byte[] { 1, 12, 3 }, [3], gzip: true);
        var e = Assert.Throws<DatasetFileException>(() => new FashionMnist(root: dir.Path, train: false, verifyChecksums: false));
        Assert.Equal(dir.File("t10k-labels-idx1-ubyte.gz"), e.FilePath);
        Assert.Contains(dir.File("t10k-labels-idx1-ubyte.gz"), e.Message);
        Assert.Contains("sample 1 the label 12", e.Message);
    }
}

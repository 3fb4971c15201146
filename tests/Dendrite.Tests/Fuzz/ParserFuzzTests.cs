using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Dendrite.Data.Datasets;
using Dendrite.IO;
using Dendrite.Tests.Data;

namespace Dendrite.Tests.Fuzz;

// Thousands of mutated files per parser: each must load or fail with the parser's documented format error, never
// with anything else (an index error, a null reference, an out-of-memory, an unrelated JSON exception).
public sealed class ParserFuzzTests
{
    private const int Cases = 3000;

    // A safetensors file of every dtype the reader knows, with metadata, written by hand.
    private static byte[] SafeTensorsSeed()
    {
        var entries = new (string Name, string DType, int[] Shape, byte[] Data)[]
        {
            ("f32", "F32", [2, 2], [.. BitConverter.GetBytes(1f), .. BitConverter.GetBytes(-2f), .. BitConverter.GetBytes(0.5f), .. BitConverter.GetBytes(3f)]),
            ("f64", "F64", [1], BitConverter.GetBytes(Math.PI)),
            ("f16", "F16", [2], [0x00, 0x3C, 0x00, 0xC0]),
            ("bf16", "BF16", [1], [0x80, 0x3F]),
            ("i64", "I64", [1], BitConverter.GetBytes(-5L)),
            ("i32", "I32", [1], BitConverter.GetBytes(7)),
            ("i16", "I16", [1], BitConverter.GetBytes((short)-3)),
            ("i8", "I8", [2], [0xFF, 0x01]),
            ("u64", "U64", [1], BitConverter.GetBytes(9UL)),
            ("u32", "U32", [1], BitConverter.GetBytes(9U)),
            ("u16", "U16", [1], BitConverter.GetBytes((ushort)9)),
            ("u8", "U8", [3], [1, 2, 3]),
            ("mask", "BOOL", [2], [0, 1]),
            ("empty", "F32", [0, 3], []),
            ("scalar", "F32", [], BitConverter.GetBytes(2.5f)),
        };
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"x\",\"note\":\"h\\u00e9llo\"}");
        long offset = 0;
        foreach (var e in entries)
        {
            header.Append($",\"{e.Name}\":{{\"dtype\":\"{e.DType}\",\"shape\":[{string.Join(",", e.Shape)}],\"data_offsets\":[{offset},{offset + e.Data.Length}]}}");
            offset += e.Data.Length;
        }
        header.Append('}');
        var json = Encoding.UTF8.GetBytes(header.ToString());
        var bytes = new List<byte>(new byte[8]);
        BinaryPrimitives.WriteUInt64LittleEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes), (ulong)json.Length);
        bytes.AddRange(json);
        foreach (var e in entries)
            bytes.AddRange(e.Data);
        return [.. bytes];
    }

    [Fact]
    public void SafeTensorsReaderThrowsOnlyFormatErrors()
    {
        var seed = SafeTensorsSeed();
        Assert.Equal(15, SafeTensors.Read(new MemoryStream(seed), "seed").Tensors.Count);
        var mutator = new Mutator(1);
        int rejected = 0;
        for (int i = 0; i < Cases; i++)
        {
            var input = mutator.Mutate(seed);
            try
            {
                SafeTensors.Read(new MemoryStream(input), $"case {i}");
            }
            catch (SafeTensorsFormatException e)
            {
                Assert.Contains($"case {i}", e.Message);
                Assert.True(e.Message.Length < 1000, $"case {i}: a {e.Message.Length}-character message: {e.Message}");
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} ({Convert.ToBase64String(input)}): {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.InRange(rejected, Cases / 2, Cases); // most mutations break the file; some leave it valid
    }

    [Fact]
    public void IdxReaderThrowsOnlyDatasetFileErrors()
    {
        using var dir = new TempDir();
        var pixels = Enumerable.Range(0, 5 * 3 * 4).Select(i => (byte)(i * 37)).ToArray();
        Idx.Write(dir.File("raw"), pixels, [5, 3, 4]);
        Idx.Write(dir.File("gz"), pixels, [5, 3, 4], gzip: true);
        Idx.Write(dir.File("labels"), [1, 2, 3, 4], [4], gzip: true);
        var seeds = new[] { File.ReadAllBytes(dir.File("raw")), File.ReadAllBytes(dir.File("gz")), File.ReadAllBytes(dir.File("labels")) };
        var mutator = new Mutator(2);
        string path = dir.File("case");
        int rejected = 0;
        for (int i = 0; i < Cases; i++)
        {
            var input = mutator.Mutate(seeds[i % seeds.Length]);
            try
            {
                Idx.Read(new MemoryStream(input), path, i % 3 == 2 ? Idx.LabelsMagic : null, i % 5 == 0 ? ["00000000000000000000000000000000"] : null);
            }
            catch (DatasetFileException e)
            {
                Assert.Equal(path, e.FilePath);
                Assert.Contains(path, e.Message);
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} ({Convert.ToBase64String(input)}): {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.InRange(rejected, Cases / 2, Cases);
    }

    [Fact]
    public void GzipDecompressionOfTheSeedsIsWhatTheFuzzerMutates()
    {
        // Guards the IDX fuzz test itself: its gzip seed really is gzip, so mutations exercise the decompressing path.
        using var dir = new TempDir();
        Idx.Write(dir.File("gz"), [1, 2, 3], [3], gzip: true);
        using var z = new GZipStream(File.OpenRead(dir.File("gz")), CompressionMode.Decompress);
        var content = new MemoryStream();
        z.CopyTo(content);
        Assert.Equal(new byte[] { 0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3 }, content.ToArray());
    }
}

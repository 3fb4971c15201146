using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Dendrite.IO;

/// <summary>
/// Reads and writes the safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of UTF-8
/// JSON <c>{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ..., "__metadata__": {...}}</c>
/// padded with spaces to a multiple of 8, then the raw little-endian tensor bytes, offsets relative to the data start.
/// Writes are atomic. Loads are strict: a truncated file, a header beyond the file, offsets out of range, overlapping
/// or leaving holes, an unknown dtype, or a byte count that does not match the shape is an error naming the file.
/// F32, F64, I64 and BOOL load as themselves; F16 and BF16 load as Float32; I8, I16, I32, U8, U16, U32 and U64 as Int64.
/// </summary>
public static partial class SafeTensors
{
    /// <summary>The header key holding string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Largest header accepted on load (100 MB, as the reference implementation).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Writes <paramref name="tensors"/> (sorted by name) and <paramref name="metadata"/> to <paramref name="path"/>, atomically.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var plan = Plan(tensors, metadata);
        AtomicFile.Write(path, s => WritePlanned(s, plan));
    }

    /// <summary>Writes the safetensors bytes to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        WritePlanned(stream, Plan(tensors, metadata));
    }

    /// <summary>The tensors in <paramref name="path"/>.</summary>
    public static Dictionary<string, Tensor> Load(string path) => new(Read(path).Tensors);

    /// <summary>The tensors and metadata in <paramref name="path"/>.</summary>
    public static SafeTensorsFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"safetensors file '{path}' does not exist.", path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(fs, path);
    }

    /// <summary>The metadata of <paramref name="path"/>, reading only its header.</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadHeader(fs, path).Metadata;
    }

    /// <summary>Reads a whole safetensors image from a seekable <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    public static SafeTensorsFile Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = ReadHeader(stream, source);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        long dataStart = 8 + header.HeaderLength;
        foreach (var e in header.Entries)
        {
            stream.Position = dataStart + e.Begin;
            tensors[e.Name] = ReadTensor(stream, e, source);
        }
        return new SafeTensorsFile(tensors, header.Metadata);
    }

    // ---- writing ----

    private sealed record Planned(string Name, Tensor Tensor, string DType, long Begin, long End);

    private sealed record WritePlan(byte[] Header, List<Planned> Entries);

    private static WritePlan Plan(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = new List<Planned>();
        long offset = 0;
        foreach (var name in tensors.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            if (name == MetadataKey)
                throw new ArgumentException($"SafeTensors.Save: '{MetadataKey}' is reserved for metadata and cannot name a tensor.");
            var t = tensors[name] ?? throw new ArgumentException($"SafeTensors.Save: tensor '{name}' is null.");
            long bytes = (long)t.Numel * t.DType.ElementSize();
            entries.Add(new Planned(name, t, DTypeName(t.DType), offset, offset + bytes));
            offset += bytes;
        }
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (metadata is not null)
            {
                w.WriteStartObject(MetadataKey);
                foreach (var kv in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    w.WriteString(kv.Key, kv.Value ?? throw new ArgumentException($"SafeTensors.Save: metadata value for '{kv.Key}' is null."));
                w.WriteEndObject();
            }
            foreach (var e in entries)
            {
                w.WriteStartObject(e.Name);
                w.WriteString("dtype", e.DType);
                w.WriteStartArray("shape");
                foreach (int d in e.Tensor.Shape)
                    w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(e.Begin);
                w.WriteNumberValue(e.End);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        // Pad with spaces so the data section starts 8-byte aligned (8 + N is a multiple of 8).
        int len = (int)ms.Length;
        int padded = (len + 7) / 8 * 8;
        var header = new byte[padded];
        ms.GetBuffer().AsSpan(0, len).CopyTo(header);
        header.AsSpan(len).Fill((byte)' ');
        return new WritePlan(header, entries);
    }

    private static void WritePlanned(Stream s, WritePlan plan)
    {
        CheckLittleEndian();
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)plan.Header.Length);
        s.Write(len);
        s.Write(plan.Header);
        foreach (var e in plan.Entries)
        {
            // The elements in row-major order, copied to the host from whatever device holds them.
            var t = e.Tensor.Detach();
            switch (t.DType)
            {
                case DType.Float32: s.Write(MemoryMarshal.AsBytes(t.ToArray<float>().AsSpan())); break;
                case DType.Float64: s.Write(MemoryMarshal.AsBytes(t.ToArray<double>().AsSpan())); break;
                case DType.Int64: s.Write(MemoryMarshal.AsBytes(t.ToArray<long>().AsSpan())); break;
                default: s.Write(MemoryMarshal.AsBytes(t.ToArray<bool>().AsSpan())); break;
            }
        }
    }

    private static string DTypeName(DType d) => d switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int64 => "I64",
        DType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(d)),
    };

    private static void CheckLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("SafeTensors: big-endian hosts are not supported.");
    }

    private static SafeTensorsFormatException Bad(string source, string problem, Exception? inner = null) => new(source, problem, inner);

    /// <summary>The UTF-8 JSON header of <paramref name="path"/> (without padding), for inspection.</summary>
    public static string ReadHeaderJson(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var h = ReadHeader(fs, path);
        fs.Position = 8;
        var json = new byte[h.HeaderLength];
        fs.ReadExactly(json);
        return Encoding.UTF8.GetString(json).TrimEnd(' ');
    }
}

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
public static class SafeTensors
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
            var t = e.Tensor.Detach();
            if (!t.IsContiguous)
                t = t.CopyDense();
            switch (t.DType)
            {
                case DType.Float32: s.Write(MemoryMarshal.AsBytes(t.Span<float>())); break;
                case DType.Float64: s.Write(MemoryMarshal.AsBytes(t.Span<double>())); break;
                case DType.Int64: s.Write(MemoryMarshal.AsBytes(t.Span<long>())); break;
                default: s.Write(MemoryMarshal.AsBytes(t.Span<bool>())); break;
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

    // ---- reading ----

    private sealed record Entry(string Name, string DType, int[] Shape, long Begin, long End);

    private sealed record Header(long HeaderLength, List<Entry> Entries, Dictionary<string, string> Metadata);

    private static Header ReadHeader(Stream s, string source)
    {
        CheckLittleEndian();
        long fileLen = s.Length;
        if (fileLen < 8)
            throw Bad(source, $"truncated: the file has {fileLen} bytes, fewer than the 8-byte header length.");
        Span<byte> lenBytes = stackalloc byte[8];
        s.Position = 0;
        s.ReadExactly(lenBytes);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
        if (n > (ulong)(fileLen - 8))
            throw Bad(source, $"header length {n} goes beyond the end of the file ({fileLen} bytes, so at most {fileLen - 8} header bytes); the file is truncated or not safetensors.");
        if (n > MaxHeaderBytes)
            throw Bad(source, $"header length {n} exceeds the {MaxHeaderBytes}-byte limit.");
        var json = new byte[n];
        s.ReadExactly(json);
        long dataLen = fileLen - 8 - (long)n;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Bad(source, $"the {n}-byte header is not valid JSON ({e.Message}).", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Bad(source, $"the header must be a JSON object, found {doc.RootElement.ValueKind}.");
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == MetadataKey)
                {
                    if (p.Value.ValueKind != JsonValueKind.Object)
                        throw Bad(source, $"'{MetadataKey}' must be an object of strings, found {p.Value.ValueKind}.");
                    foreach (var m in p.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()!
                            : throw Bad(source, $"metadata value '{m.Name}' must be a string, found {m.Value.ValueKind}.");
                    continue;
                }
                entries.Add(ParseEntry(p, source));
            }
            ValidateLayout(entries, dataLen, source);
            return new Header((long)n, entries, metadata);
        }
    }

    private static Entry ParseEntry(JsonProperty p, string source)
    {
        string name = p.Name;
        if (p.Value.ValueKind != JsonValueKind.Object)
            throw Bad(source, $"tensor '{name}': expected an object with dtype, shape and data_offsets, found {p.Value.ValueKind}.");
        if (!p.Value.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw Bad(source, $"tensor '{name}': missing or non-string 'dtype'.");
        string dtype = dt.GetString()!;
        if (ElementBytes(dtype) == 0)
            throw Bad(source, $"tensor '{name}': unknown or unsupported dtype '{dtype}' (supported: F32, F64, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL).");
        if (!p.Value.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
            throw Bad(source, $"tensor '{name}': missing or non-array 'shape'.");
        var shape = new int[sh.GetArrayLength()];
        int i = 0;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int v) || v < 0)
                throw Bad(source, $"tensor '{name}': shape entry {d} is not a non-negative 32-bit integer.");
            shape[i++] = v;
        }
        if (!p.Value.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw Bad(source, $"tensor '{name}': 'data_offsets' must be an array [begin, end].");
        long begin = ParseOffset(off[0], name, source), end = ParseOffset(off[1], name, source);
        if (end < begin)
            throw Bad(source, $"tensor '{name}': data_offsets [{begin}, {end}] end before they begin.");
        long numel = 1;
        foreach (int d in shape)
        {
            numel *= d;
            if (numel > Array.MaxLength)
                throw Bad(source, $"tensor '{name}': shape [{string.Join(", ", shape)}] has more elements than an array can hold.");
        }
        long need = numel * ElementBytes(dtype);
        if (need != end - begin)
            throw Bad(source, $"tensor '{name}': shape [{string.Join(", ", shape)}] of {dtype} needs {need} bytes but data_offsets [{begin}, {end}] span {end - begin}.");
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long ParseOffset(JsonElement e, string name, string source)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long v) || v < 0)
            throw Bad(source, $"tensor '{name}': data offset {e} is not a non-negative integer.");
        return v;
    }

    // Tensors must tile the data section exactly: in range, no overlaps, no holes, nothing left over.
    private static void ValidateLayout(List<Entry> entries, long dataLen, string source)
    {
        foreach (var e in entries)
            if (e.End > dataLen)
                throw Bad(source, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] are out of range: the data section has {dataLen} bytes (the file is truncated or the header is wrong).");
        var sorted = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        long pos = 0;
        Entry? prev = null;
        foreach (var e in sorted)
        {
            if (e.Begin < pos)
                throw Bad(source, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] overlap tensor '{prev!.Name}' [{prev.Begin}, {prev.End}].");
            if (e.Begin > pos)
                throw Bad(source, $"bytes [{pos}, {e.Begin}) of the data section belong to no tensor (a hole before tensor '{e.Name}').");
            pos = e.End;
            prev = e;
        }
        if (pos != dataLen)
            throw Bad(source, $"the data section has {dataLen} bytes but the tensors cover only {pos}; {dataLen - pos} bytes at the end belong to no tensor.");
    }

    private static int ElementBytes(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" => 1,
        _ => 0,
    };

    private static Tensor ReadTensor(Stream s, Entry e, string source)
    {
        var shape = e.Shape;
        int numel = (int)((e.End - e.Begin) / ElementBytes(e.DType));
        switch (e.DType)
        {
            case "F32": return ReadNative<float>(s, shape, numel);
            case "F64": return ReadNative<double>(s, shape, numel);
            case "I64": return ReadNative<long>(s, shape, numel);
            case "BOOL":
            {
                var raw = new byte[numel];
                s.ReadExactly(raw);
                var b = new bool[numel];
                for (int i = 0; i < numel; i++)
                {
                    if (raw[i] > 1)
                        throw Bad(source, $"tensor '{e.Name}': BOOL element {i} has byte value {raw[i]}; only 0 and 1 are valid.");
                    b[i] = raw[i] != 0;
                }
                return Tensor.Wrap(b, shape);
            }
        }
        var bytes = new byte[e.End - e.Begin];
        s.ReadExactly(bytes);
        if (e.DType is "F16" or "BF16")
        {
            var f = new float[numel];
            for (int i = 0; i < numel; i++)
            {
                ushort h = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(2 * i));
                f[i] = e.DType == "F16" ? (float)BitConverter.UInt16BitsToHalf(h) : BitConverter.Int32BitsToSingle(h << 16);
            }
            return Tensor.Wrap(f, shape);
        }
        var l = new long[numel];
        for (int i = 0; i < numel; i++)
        {
            l[i] = e.DType switch
            {
                "I32" => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4 * i)),
                "U32" => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4 * i)),
                "I16" => BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * i)),
                "U16" => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(2 * i)),
                "I8" => (sbyte)bytes[i],
                "U8" => bytes[i],
                _ => ReadU64(bytes, i, e, source),
            };
        }
        return Tensor.Wrap(l, shape);
    }

    private static long ReadU64(byte[] bytes, int i, Entry e, string source)
    {
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8 * i));
        return v <= long.MaxValue ? (long)v
            : throw Bad(source, $"tensor '{e.Name}': U64 element {i} = {v} does not fit in Int64.");
    }

    private static Tensor ReadNative<T>(Stream s, int[] shape, int numel) where T : unmanaged
    {
        var data = GC.AllocateUninitializedArray<T>(numel);
        s.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
        return Tensor.Wrap(data, shape);
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

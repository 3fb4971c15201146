using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Dendrite.IO;

// Reading and validating a safetensors image: the header first (nothing is allocated for tensors before every entry
// has been checked against the file's real size), then the tensors.
public static partial class SafeTensors
{
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
        if (!Utf8.IsValid(json))
            throw Bad(source, $"the {n}-byte header is not valid UTF-8 (the first invalid byte is at header offset {FirstInvalidUtf8(json)}).");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Bad(source, $"the {n}-byte header is not valid JSON: {ErrorText.Json(e)}.", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Bad(source, $"the header must be a JSON object, found {doc.RootElement.ValueKind}.");
            var entries = new List<Entry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            bool sawMetadata = false;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                string name = Text(p, source);
                if (name == MetadataKey)
                {
                    if (sawMetadata)
                        throw Bad(source, $"'{MetadataKey}' appears twice in the header.");
                    sawMetadata = true;
                    if (p.Value.ValueKind != JsonValueKind.Object)
                        throw Bad(source, $"'{MetadataKey}' must be an object of strings, found {p.Value.ValueKind}.");
                    foreach (var m in p.Value.EnumerateObject())
                    {
                        string key = Text(m, source);
                        if (m.Value.ValueKind != JsonValueKind.String)
                            throw Bad(source, $"metadata value '{ErrorText.Quote(key)}' must be a string, found {m.Value.ValueKind}.");
                        if (!metadata.TryAdd(key, Text(m.Value, $"metadata value '{ErrorText.Quote(key)}'", source)))
                            throw Bad(source, $"metadata key '{ErrorText.Quote(key)}' appears twice.");
                    }
                    continue;
                }
                if (!names.Add(name))
                    throw Bad(source, $"tensor '{ErrorText.Quote(name)}' appears twice in the header.");
                entries.Add(ParseEntry(name, p.Value, source));
            }
            ValidateLayout(entries, dataLen, source);
            return new Header((long)n, entries, metadata);
        }
    }

    // The index of the first byte that does not start a valid UTF-8 sequence.
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[i..], out _, out int used) != System.Buffers.OperationStatus.Done)
                return i;
            i += used;
        }
        return i;
    }

    // Property names and strings may still be invalid after unescaping (a lone "\ud800"): name the spot instead of failing later.
    private static string Text(JsonProperty p, string source)
    {
        try
        {
            return p.Name;
        }
        catch (InvalidOperationException e)
        {
            throw Bad(source, $"a header key is not a valid string ({e.Message}).", e);
        }
    }

    private static string Text(JsonElement e, string what, string source)
    {
        try
        {
            return e.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw Bad(source, $"{what} is not a valid string ({ex.Message}).", ex);
        }
    }

    private static Entry ParseEntry(string name, JsonElement value, string source)
    {
        string quoted = ErrorText.Quote(name);
        if (value.ValueKind != JsonValueKind.Object)
            throw Bad(source, $"tensor '{quoted}': expected an object with dtype, shape and data_offsets, found {value.ValueKind}.");
        if (!value.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw Bad(source, $"tensor '{quoted}': missing or non-string 'dtype'.");
        string dtype = Text(dt, $"tensor '{quoted}': dtype", source);
        if (ElementBytes(dtype) == 0)
            throw Bad(source, $"tensor '{quoted}': unknown or unsupported dtype '{ErrorText.Quote(dtype)}' (supported: F32, F64, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL).");
        if (!value.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
            throw Bad(source, $"tensor '{quoted}': missing or non-array 'shape'.");
        var shape = new int[sh.GetArrayLength()];
        int i = 0;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int v) || v < 0)
                throw Bad(source, $"tensor '{quoted}': shape entry {ErrorText.Quote(d.GetRawText())} is not a non-negative 32-bit integer.");
            shape[i++] = v;
        }
        if (!value.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw Bad(source, $"tensor '{quoted}': 'data_offsets' must be an array [begin, end].");
        long begin = ParseOffset(off[0], quoted, source), end = ParseOffset(off[1], quoted, source);
        if (end < begin)
            throw Bad(source, $"tensor '{quoted}': data_offsets [{begin}, {end}] end before they begin.");
        long numel = 1;
        foreach (int d in shape)
        {
            numel *= d;
            if (numel > Array.MaxLength)
                throw Bad(source, $"tensor '{quoted}': shape {ErrorText.Shape(shape)} has more elements than an array can hold.");
        }
        long need = numel * ElementBytes(dtype);
        if (need != end - begin)
            throw Bad(source, $"tensor '{quoted}': shape {ErrorText.Shape(shape)} of {dtype} needs {need} bytes but data_offsets [{begin}, {end}] span {end - begin}.");
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long ParseOffset(JsonElement e, string name, string source)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long v) || v < 0)
            throw Bad(source, $"tensor '{name}': data offset {ErrorText.Quote(e.GetRawText())} is not a non-negative integer.");
        return v;
    }

    // Tensors must tile the data section exactly: in range, no overlaps, no holes, nothing left over.
    private static void ValidateLayout(List<Entry> entries, long dataLen, string source)
    {
        foreach (var e in entries)
            if (e.End > dataLen)
                throw Bad(source, $"tensor '{ErrorText.Quote(e.Name)}': data_offsets [{e.Begin}, {e.End}] are out of range: the data section has {dataLen} bytes (the file is truncated or the header is wrong).");
        var sorted = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        long pos = 0;
        Entry? prev = null;
        foreach (var e in sorted)
        {
            if (e.Begin < pos)
                throw Bad(source, $"tensor '{ErrorText.Quote(e.Name)}': data_offsets [{e.Begin}, {e.End}] overlap tensor '{ErrorText.Quote(prev!.Name)}' [{prev.Begin}, {prev.End}].");
            if (e.Begin > pos)
                throw Bad(source, $"bytes [{pos}, {e.Begin}) of the data section belong to no tensor (a hole before tensor '{ErrorText.Quote(e.Name)}').");
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
                        throw Bad(source, $"tensor '{ErrorText.Quote(e.Name)}': BOOL element {i} has byte value {raw[i]}; only 0 and 1 are valid.");
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
            : throw Bad(source, $"tensor '{ErrorText.Quote(e.Name)}': U64 element {i} = {v} does not fit in Int64.");
    }

    private static Tensor ReadNative<T>(Stream s, int[] shape, int numel) where T : unmanaged
    {
        var data = GC.AllocateUninitializedArray<T>(numel);
        s.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
        return Tensor.Wrap(data, shape);
    }
}

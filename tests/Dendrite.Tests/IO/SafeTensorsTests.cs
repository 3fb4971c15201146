using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Dendrite.IO;
using Dendrite.Tests.Data;

namespace Dendrite.Tests.IO;

public sealed class SafeTensorsTests
{
    private static Dictionary<string, Tensor> Sample() => new()
    {
        ["weight"] = Tensor.FromArray(new float[] { 1.5f, -2f, 3.25f, 0f, 1e-8f, float.MaxValue }, 2, 3),
        ["bias"] = Tensor.FromArray(new double[] { Math.PI, -1 }, 2),
        ["steps"] = Tensor.FromArray(new long[] { long.MaxValue }),
        ["mask"] = Tensor.FromArray(new[] { true, false, true }, 3),
        ["scalar"] = Tensor.Scalar(7.0),
        ["empty"] = Tensor.Zeros(0, 4),
    };

    [Fact]
    public void WrittenFileParsesWithAnIndependentReader()
    {
        using var dir = new TempDir();
        var path = dir.File("m.safetensors");
        SafeTensors.Save(path, Sample(), new Dictionary<string, string> { ["epoch"] = "3", ["note"] = "héllo \"q\"" });
        var bytes = File.ReadAllBytes(path);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + (long)n) % 8);
        var headerText = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.StartsWith("{", headerText);
        Assert.EndsWith("}", headerText.TrimEnd(' ')); // only spaces pad the JSON
        Assert.True(headerText.Length - headerText.TrimEnd(' ').Length < 8);
        using var doc = JsonDocument.Parse(headerText);
        var root = doc.RootElement;
        Assert.Equal("3", root.GetProperty("__metadata__").GetProperty("epoch").GetString());
        Assert.Equal("héllo \"q\"", root.GetProperty("__metadata__").GetProperty("note").GetString());
        int dataStart = 8 + (int)n;
        Assert.Equal(bytes.Length - dataStart, root.EnumerateObject().Where(p => p.Name != "__metadata__")
            .Sum(p => p.Value.GetProperty("data_offsets")[1].GetInt64() - p.Value.GetProperty("data_offsets")[0].GetInt64()));

        var w = root.GetProperty("weight");
        Assert.Equal("F32", w.GetProperty("dtype").GetString());
        Assert.Equal(new[] { 2, 3 }, w.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        int wb = w.GetProperty("data_offsets")[0].GetInt32();
        Assert.Equal(24, w.GetProperty("data_offsets")[1].GetInt32() - wb);
        var wv = Enumerable.Range(0, 6).Select(i => BitConverter.ToSingle(bytes, dataStart + wb + 4 * i)).ToArray();
        Assert.Equal(new float[] { 1.5f, -2f, 3.25f, 0f, 1e-8f, float.MaxValue }, wv);

        var b = root.GetProperty("bias");
        Assert.Equal("F64", b.GetProperty("dtype").GetString());
        Assert.Equal(Math.PI, BitConverter.ToDouble(bytes, dataStart + b.GetProperty("data_offsets")[0].GetInt32()));
        var s = root.GetProperty("steps");
        Assert.Equal("I64", s.GetProperty("dtype").GetString());
        Assert.Equal(long.MaxValue, BitConverter.ToInt64(bytes, dataStart + s.GetProperty("data_offsets")[0].GetInt32()));
        var m = root.GetProperty("mask");
        Assert.Equal("BOOL", m.GetProperty("dtype").GetString());
        int mb = dataStart + m.GetProperty("data_offsets")[0].GetInt32();
        Assert.Equal(new byte[] { 1, 0, 1 }, bytes[mb..(mb + 3)]);
        Assert.Equal(0, root.GetProperty("scalar").GetProperty("shape").GetArrayLength());
        var e = root.GetProperty("empty").GetProperty("data_offsets");
        Assert.Equal(e[0].GetInt64(), e[1].GetInt64());
    }

    [Fact]
    public void RoundTripKeepsValuesShapesAndMetadata()
    {
        using var dir = new TempDir();
        var path = dir.File("r.safetensors");
        var src = Sample();
        src["view"] = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3).T; // non-contiguous
        SafeTensors.Save(path, src, new Dictionary<string, string> { ["k"] = "v" });
        var file = SafeTensors.Read(path);
        Assert.Equal("v", file.Metadata["k"]);
        foreach (var (name, t) in src)
        {
            var r = file.Tensors[name];
            Assert.Equal(t.Shape, r.Shape);
            Assert.Equal(t.DType, r.DType);
            Assert.Equal(t.To(DType.Float64).ToArray<double>(), r.To(DType.Float64).ToArray<double>());
        }
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, file.Tensors["view"].ToArray<float>());
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    // Builds a file by hand: header JSON as given, padded, then the data bytes.
    private static byte[] HandMade(string json, byte[] data, bool pad = true)
    {
        var h = Encoding.UTF8.GetBytes(json);
        int len = pad ? (h.Length + 7) / 8 * 8 : h.Length;
        var bytes = new byte[8 + len + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)len);
        h.CopyTo(bytes, 8);
        for (int i = h.Length; i < len; i++)
            bytes[8 + i] = (byte)' ';
        data.CopyTo(bytes, 8 + len);
        return bytes;
    }

    [Fact]
    public void HandWrittenFileLoads()
    {
        using var dir = new TempDir();
        var data = new byte[8 + 12 + 2];
        BitConverter.GetBytes(42L).CopyTo(data, 0);
        BitConverter.GetBytes(0.5f).CopyTo(data, 8);
        BitConverter.GetBytes(-1f).CopyTo(data, 12);
        BitConverter.GetBytes(2f).CopyTo(data, 16);
        BitConverter.GetBytes((Half)1.5).CopyTo(data, 20);
        var json = """{"b":{"dtype":"F32","shape":[3,1],"data_offsets":[8,20]},"a":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"h":{"dtype":"F16","shape":[1],"data_offsets":[20,22]},"__metadata__":{"format":"pt"}}""";
        File.WriteAllBytes(dir.File("h.safetensors"), HandMade(json, data));
        var f = SafeTensors.Read(dir.File("h.safetensors"));
        Assert.Equal(42L, f.Tensors["a"].Item<long>());
        Assert.Equal(new[] { 3, 1 }, f.Tensors["b"].Shape);
        Assert.Equal(new[] { 0.5f, -1f, 2f }, f.Tensors["b"].ToArray<float>());
        Assert.Equal(1.5f, f.Tensors["h"].Item<float>());
        Assert.Equal("pt", f.Metadata["format"]);
        // An unpadded header is valid too.
        File.WriteAllBytes(dir.File("u.safetensors"), HandMade(json, data, pad: false));
        Assert.Equal(42L, SafeTensors.Load(dir.File("u.safetensors"))["a"].Item<long>());
    }

    private static string ErrorFor(byte[] bytes)
    {
        using var dir = new TempDir();
        var path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path));
        Assert.Contains(path, e.Message);
        return e.Message;
    }

    [Fact]
    public void TruncatedFileIsAClearError()
    {
        using var dir = new TempDir();
        var path = dir.File("t.safetensors");
        SafeTensors.Save(path, Sample());
        var full = File.ReadAllBytes(path);
        Assert.Contains("out of range", ErrorFor(full[..^5]));
        Assert.Contains("header length", ErrorFor(full[..40]));
        Assert.Contains("fewer than the 8-byte header length", ErrorFor(full[..5]));
    }

    [Fact]
    public void MalformedHeadersAreClearErrors()
    {
        var four = new byte[4];
        Assert.Contains("unknown or unsupported dtype 'F8_E4M3'",
            ErrorFor(HandMade("""{"x":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}}""", four)));
        Assert.Contains("needs 8 bytes but data_offsets [0, 4] span 4",
            ErrorFor(HandMade("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", four)));
        Assert.Contains("overlap",
            ErrorFor(HandMade("""{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"y":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}""", four)));
        Assert.Contains("out of range",
            ErrorFor(HandMade("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", four)));
        Assert.Contains("belong to no tensor",
            ErrorFor(HandMade("""{"x":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}""", four)));
        Assert.Contains("belong to no tensor",
            ErrorFor(HandMade("""{"x":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}""", four)));
        Assert.Contains("not valid JSON", ErrorFor(HandMade("""{"x": """, four)));
        Assert.Contains("must be a string", ErrorFor(HandMade("""{"__metadata__":{"a":1}}""", [])));
    }
}

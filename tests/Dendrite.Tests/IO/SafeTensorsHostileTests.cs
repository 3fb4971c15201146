using System.Buffers.Binary;
using System.Text;
using Dendrite.IO;

namespace Dendrite.Tests.IO;

// Hand-made headers: invalid UTF-8, escapes that are not valid strings, duplicate names, megabyte-long names.
public sealed class SafeTensorsHostileTests
{
    private static byte[] File(byte[] header, int dataBytes = 0)
    {
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    private static SafeTensorsFormatException Rejects(byte[] file) =>
        Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(new MemoryStream(file), "hostile.safetensors"));

    [Fact]
    public void InvalidUtf8InTheHeaderIsAFormatErrorNamingTheFile()
    {
        var header = "{\"a\xff\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}"u8.ToArray();
        header[3] = 0xFF;
        var e = Rejects(File(header));
        Assert.Contains("hostile.safetensors", e.Message);
        Assert.Contains("not valid UTF-8", e.Message);
        Assert.Contains("offset 3", e.Message);
    }

    [Fact]
    public void LoneSurrogateEscapesAndDuplicateNamesAreFormatErrors()
    {
        var e = Rejects(File(Encoding.UTF8.GetBytes("{\"\\ud800\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}")));
        Assert.Contains("not a valid string", e.Message);
        e = Rejects(File(Encoding.UTF8.GetBytes("{\"__metadata__\":{\"k\":\"\\udc00\"}}")));
        Assert.Contains("metadata value 'k'", e.Message);
        e = Rejects(File(Encoding.UTF8.GetBytes("{\"t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},\"t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}"), 2));
        Assert.Contains("tensor 't' appears twice", e.Message);
    }

    [Fact]
    public void ErrorsQuoteLongNamesShapesAndJsonOnlyInPart()
    {
        string name = new('n', 1_000_000);
        var e = Rejects(File(Encoding.UTF8.GetBytes($"{{\"{name}\":{{\"dtype\":\"X9\",\"shape\":[0],\"data_offsets\":[0,0]}}}}")));
        Assert.Contains("(1000000 characters)", e.Message);
        Assert.True(e.Message.Length < 500, $"{e.Message.Length} characters");

        string shape = string.Join(",", Enumerable.Repeat(2, 5000));
        e = Rejects(File(Encoding.UTF8.GetBytes($"{{\"t\":{{\"dtype\":\"U8\",\"shape\":[{shape}],\"data_offsets\":[0,1]}}}}"), 1));
        Assert.Contains("(5000 dimensions)", e.Message);
        Assert.True(e.Message.Length < 500, $"{e.Message.Length} characters");

        e = Rejects(File(Encoding.UTF8.GetBytes("{\"a\":" + new string('[', 100_000))));
        Assert.True(e.Message.Length < 500, $"{e.Message.Length} characters");
    }
}

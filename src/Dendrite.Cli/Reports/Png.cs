using System.Buffers.Binary;
using System.IO.Compression;

namespace Dendrite.Cli.Reports;

/// <summary>A minimal PNG encoder (8-bit grayscale or RGB, no interlacing) for images embedded in reports.</summary>
public static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes an 8-bit image; <paramref name="channels"/> is 1 (gray) or 3 (RGB), pixels row-major.</summary>
    public static byte[] Encode(byte[] pixels, int width, int height, int channels)
    {
        if (channels is not (1 or 3)) throw new ArgumentException($"Png.Encode: channels must be 1 or 3, got {channels}");
        if (width <= 0 || height <= 0 || pixels.Length != width * height * channels)
            throw new ArgumentException($"Png.Encode: {pixels.Length} bytes do not make a {width}x{height}x{channels} image");
        using var png = new MemoryStream();
        png.Write(Signature);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;                                // bit depth
        header[9] = (byte)(channels == 1 ? 0 : 2);    // colour type: gray or truecolour
        WriteChunk(png, "IHDR", header);

        // Each scanline starts with its filter type; 0 (None) keeps the encoder simple, deflate does the rest.
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
        {
            int stride = width * channels;
            for (int y = 0; y < height; y++)
            {
                z.WriteByte(0);
                z.Write(pixels, y * stride, stride);
            }
        }
        WriteChunk(png, "IDAT", raw.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Encodes a grayscale image given as floats in [0, 1] (values outside are clamped).</summary>
    public static byte[] EncodeGray(ReadOnlySpan<float> pixels, int width, int height, bool invert = false)
    {
        var bytes = new byte[pixels.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            float v = float.IsFinite(pixels[i]) ? Math.Clamp(pixels[i], 0f, 1f) : 0f;
            if (invert) v = 1 - v;
            bytes[i] = (byte)MathF.Round(v * 255);
        }
        return Encode(bytes, width, height, 1);
    }

    /// <summary>A <c>data:image/png;base64,...</c> URI for the encoded bytes.</summary>
    public static string DataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    private static void WriteChunk(Stream s, string type, byte[] data)
    {
        Span<byte> buf = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buf, data.Length);
        s.Write(buf);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        uint crc = Crc32.Update(Crc32.Update(Crc32.Initial, typeBytes), data);
        BinaryPrimitives.WriteUInt32BigEndian(buf, Crc32.Finish(crc));
        s.Write(buf);
    }
}

/// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as used by PNG chunks.</summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The register value before any byte.</summary>
    public const uint Initial = 0xFFFFFFFFu;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    /// <summary>Feeds bytes into a running CRC register.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    /// <summary>The final CRC value of a register.</summary>
    public static uint Finish(uint crc) => crc ^ 0xFFFFFFFFu;

    /// <summary>The CRC-32 of a whole buffer.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Initial, data));
}

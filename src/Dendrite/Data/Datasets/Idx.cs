using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using Dendrite.IO;

namespace Dendrite.Data.Datasets;

/// <summary>An unsigned-byte IDX array: the raw bytes in row-major order and the dimensions from the header.</summary>
public sealed record IdxArray(byte[] Data, int[] Dims);

/// <summary>
/// Reads and writes the IDX format of MNIST-style files: a big-endian header (two zero bytes, a type code 0x08 for
/// unsigned bytes, the number of dimensions, then each dimension as a 32-bit integer) followed by the data.
/// Files may be gzipped (detected from the gzip signature).
/// </summary>
public static class Idx
{
    /// <summary>Magic number of unsigned-byte image files with 3 dimensions [N, rows, cols].</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of unsigned-byte label files with 1 dimension [N].</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>
    /// Reads an unsigned-byte IDX file (raw or gzipped). Fails with a <see cref="DatasetFileException"/> naming the
    /// file when its magic number differs from <paramref name="expectedMagic"/>, when it is truncated or has extra
    /// bytes (after the data, or after the end of its gzip stream), or when <paramref name="knownMd5"/> is given and
    /// neither the file's MD5 nor the MD5 of its decompressed content is in it (published checksums cover either the
    /// .gz files or the raw files). The header's dimensions are checked against the file's size before the data is
    /// allocated, so a short file claiming gigabytes fails at once instead of exhausting memory.
    /// </summary>
    public static IdxArray Read(string path, int? expectedMagic = null, IReadOnlyCollection<string>? knownMd5 = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new DatasetFileException(path, $"IDX file '{path}' does not exist.");
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(file, path, expectedMagic, knownMd5);
    }

    /// <summary>Reads an IDX image from a seekable stream; <paramref name="path"/> names it in errors.</summary>
    internal static IdxArray Read(Stream file, string path, int? expectedMagic, IReadOnlyCollection<string>? knownMd5)
    {
        using var fileHash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var contentHash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        IdxArray result;
        long fileLength = file.Length;
        Span<byte> sig = stackalloc byte[2];
        bool gzipped = file.Read(sig) == 2 && sig[0] == 0x1F && sig[1] == 0x8B;
        var trailer = gzipped ? GzipTrailer(file, fileLength) : null;
        file.Position = 0;
        var hashed = new HashingReadStream(file, fileHash);
        Stream content = gzipped ? new GZipStream(hashed, CompressionMode.Decompress, leaveOpen: true) : hashed;
        byte[] header;
        try
        {
            (result, header) = ReadContent(path, new HashingReadStream(content, contentHash), expectedMagic, fileLength, trailer);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFileException(path, $"IDX file '{path}' is corrupt: its gzip stream is invalid ({e.Message}).", e);
        }
        finally
        {
            if (gzipped)
                content.Dispose();
        }
        // Hash any bytes of the file the decompressor did not need (a clean file has none).
        hashed.CopyTo(Stream.Null);
        if (trailer is { } t)
            CheckEndsWithTrailer(path, t, header, result.Data);
        if (knownMd5 is not null)
        {
            string fileMd5 = Convert.ToHexStringLower(fileHash.GetHashAndReset());
            string dataMd5 = Convert.ToHexStringLower(contentHash.GetHashAndReset());
            if (!knownMd5.Contains(fileMd5, StringComparer.OrdinalIgnoreCase) && !knownMd5.Contains(dataMd5, StringComparer.OrdinalIgnoreCase))
                throw new DatasetFileException(path,
                    $"IDX file '{path}': MD5 mismatch: the file's MD5 is {fileMd5} and its content's MD5 is {dataMd5}, " +
                    $"but the published checksums for {Path.GetFileName(path)} are {string.Join(" or ", knownMd5)}. " +
                    "The file is corrupt or from another release; reinstall it.");
        }
        return result;
    }

    /// <summary>Arrays this large are allocated on the pinned heap (see <see cref="ReadContent"/>).</summary>
    internal const int LongLivedBytes = 16 * 1024;

    // Deflate cannot expand data more than 1032-fold: a gzipped file of n bytes holds at most this many.
    private static long MaxInflated(long compressed) => 1032 * compressed + 64;

    // The last 8 bytes of a gzip file: the CRC-32 and size (mod 2^32) of its last member's content, in the compressed
    // file's length so that the check after decompression knows what it compared.
    private sealed record Trailer(uint Crc, uint Size, long FileLength);

    private static Trailer? GzipTrailer(Stream file, long fileLength)
    {
        if (fileLength < 18)
            return null; // too short for a gzip member: the decompressor reports it
        Span<byte> t = stackalloc byte[8];
        file.Position = fileLength - 8;
        file.ReadExactly(t);
        return new Trailer(BinaryPrimitives.ReadUInt32LittleEndian(t), BinaryPrimitives.ReadUInt32LittleEndian(t[4..]), fileLength);
    }

    // The decompressor stops at the end of the last gzip member and ignores what follows it. A file that really ends
    // there ends with that member's trailer: its size and CRC-32 describe a non-empty suffix of the decompressed
    // content. (Eight zero bytes would pass as the trailer of an empty member; zero padding is the likelier story.)
    private static void CheckEndsWithTrailer(string path, Trailer t, byte[] header, byte[] data)
    {
        long content = header.Length + (long)data.Length;
        bool ok = t.Size > 0 && t.Size <= content;
        if (ok)
        {
            long skip = content - t.Size;
            uint crc = skip < header.Length ? Crc32.Append(Crc32.Append(0, header.AsSpan((int)skip)), data) : Crc32.Append(0, data.AsSpan((int)(skip - header.Length)));
            ok = crc == t.Crc;
        }
        if (!ok)
            throw new DatasetFileException(path,
                $"IDX file '{path}' has extra bytes after its gzip stream: its last 8 bytes are not the gzip trailer of the {content} bytes it decompresses to " +
                "(the file was appended to or is corrupt).");
    }

    private static (IdxArray Array, byte[] Header) ReadContent(string path, Stream s, int? expectedMagic, long fileLength, Trailer? gzip)
    {
        bool gzipped = gzip is not null;
        string what = gzipped ? "decompressed data" : "data";
        var head = new byte[4];
        int got = ReadFully(s, head);
        if (got < 4)
            throw new DatasetFileException(path, $"IDX file '{path}' is truncated: expected a 4-byte magic number, got {got} bytes.");
        int magic = BinaryPrimitives.ReadInt32BigEndian(head);
        int ndim = head[3];
        if (head[0] != 0 || head[1] != 0 || head[2] != 0x08 || ndim == 0 || (expectedMagic is { } m && magic != m))
            throw new DatasetFileException(path,
                $"IDX file '{path}' has a bad magic number 0x{magic:X8}: expected {(expectedMagic is { } e ? $"0x{e:X8}" : "0x000008nn (unsigned bytes, nn dimensions)")}" +
                (gzipped ? "." : " (or the file is not an IDX file)."));
        var header = new byte[4 + 4 * ndim];
        head.CopyTo(header, 0);
        got = ReadFully(s, header.AsSpan(4));
        if (got < header.Length - 4)
            throw new DatasetFileException(path, $"IDX file '{path}' is truncated: expected a {header.Length}-byte header, got {4 + got} bytes.");
        var dims = new int[ndim];
        long total = 1;
        for (int i = 0; i < ndim; i++)
        {
            int d = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 + 4 * i));
            if (d < 0)
                throw new DatasetFileException(path, $"IDX file '{path}' has a negative dimension {d} in its header.");
            dims[i] = d;
            total *= d;
            if (total > Array.MaxLength)
                throw new DatasetFileException(path, $"IDX file '{path}' declares dimensions [{string.Join(", ", dims.Take(i + 1))}...], more than {Array.MaxLength} bytes.");
        }
        string shape = $"[{string.Join(", ", dims)}]";
        // Check the claim against the file before allocating for it.
        if (!gzipped)
        {
            long available = fileLength - header.Length;
            if (available < total)
                throw new DatasetFileException(path,
                    $"IDX file '{path}' is truncated: dimensions {shape} need {total} bytes of {what} after the {header.Length}-byte header, got {available}.");
            if (available > total)
                throw new DatasetFileException(path,
                    $"IDX file '{path}' has {available - total} unexpected bytes of {what} after the {total} bytes that dimensions {shape} need.");
        }
        else if (header.Length + total > MaxInflated(fileLength))
            throw new DatasetFileException(path,
                $"IDX file '{path}' is truncated or corrupt: dimensions {shape} need {total} bytes of {what}, more than its {fileLength} compressed bytes can hold.");
        // A single-member gzip file states its size in its trailer: with it, allocate once; without it, grow as data arrives.
        long initial = !gzipped || gzip!.Size == (uint)(header.Length + total) ? total : Math.Min(total, 1 << 16);
        var data = ReadData(path, s, total, initial, $"IDX file '{path}' is truncated: dimensions {shape} need {total} bytes of {what} after the {header.Length}-byte header");
        Span<byte> extra = stackalloc byte[1];
        if (s.Read(extra) != 0)
        {
            long more = 1 + CountRemaining(s);
            throw new DatasetFileException(path,
                $"IDX file '{path}' has {more} unexpected bytes of {what} after the {data.Length} bytes that dimensions {shape} need.");
        }
        return (new IdxArray(data, dims), header);
    }

    // Loaded data lives as long as the dataset: arrays from LongLivedBytes on go to the pinned heap, so the first garbage
    // collections of a training loop do not copy megabytes of pixels up through the generations.
    private static byte[] ReadData(string path, Stream s, long total, long initial, string truncated)
    {
        bool pinned = total >= LongLivedBytes;
        var buffer = initial >= total ? GC.AllocateUninitializedArray<byte>((int)total, pinned) : new byte[initial];
        int got = 0;
        while (true)
        {
            got += ReadFully(s, buffer.AsSpan(got));
            if (got < buffer.Length)
                throw new DatasetFileException(path, $"{truncated}, got {got}.");
            if (got == total)
                return buffer;
            long next = Math.Min(total, 2L * buffer.Length);
            var bigger = next == total ? GC.AllocateUninitializedArray<byte>((int)total, pinned) : new byte[next];
            buffer.AsSpan(0, got).CopyTo(bigger);
            buffer = bigger;
        }
    }

    private static int ReadFully(Stream s, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = s.Read(buffer[total..]);
            if (n == 0)
                break;
            total += n;
        }
        return total;
    }

    private static long CountRemaining(Stream s)
    {
        var buf = new byte[1 << 16];
        long count = 0;
        int n;
        while ((n = s.Read(buf)) > 0)
            count += n;
        return count;
    }

    /// <summary>
    /// Writes an unsigned-byte IDX file (gzipped when <paramref name="gzip"/>) atomically; dims multiply to the data length.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> data, int[] dims, bool gzip = false)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length is 0 or > 255)
            throw new ArgumentException($"Idx.Write: an IDX array needs 1 to 255 dimensions, got {dims.Length}.");
        long total = 1;
        foreach (int d in dims)
        {
            if (d < 0)
                throw new ArgumentException($"Idx.Write: negative dimension in [{string.Join(", ", dims)}].");
            total *= d;
        }
        if (total != data.Length)
            throw new ArgumentException($"Idx.Write: dimensions [{string.Join(", ", dims)}] need {total} bytes but {data.Length} were given.");
        var header = new byte[4 + 4 * dims.Length];
        header[2] = 0x08;
        header[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), dims[i]);
        var bytes = data.ToArray();
        AtomicFile.Write(path, stream =>
        {
            if (gzip)
            {
                using var z = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true);
                z.Write(header);
                z.Write(bytes);
            }
            else
            {
                stream.Write(header);
                stream.Write(bytes);
            }
        });
    }
}

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
    /// bytes, or when <paramref name="knownMd5"/> is given and neither the file's MD5 nor the MD5 of its decompressed
    /// content is in it (published checksums cover either the .gz files or the raw files).
    /// </summary>
    public static IdxArray Read(string path, int? expectedMagic = null, IReadOnlyCollection<string>? knownMd5 = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new DatasetFileException(path, $"IDX file '{path}' does not exist.");
        using var fileHash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var contentHash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        IdxArray result;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            Span<byte> sig = stackalloc byte[2];
            bool gzipped = file.Read(sig) == 2 && sig[0] == 0x1F && sig[1] == 0x8B;
            file.Position = 0;
            var hashed = new HashingReadStream(file, fileHash);
            Stream content = gzipped ? new GZipStream(hashed, CompressionMode.Decompress, leaveOpen: true) : hashed;
            try
            {
                result = ReadContent(path, new HashingReadStream(content, contentHash), expectedMagic, gzipped);
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
        }
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

    private static IdxArray ReadContent(string path, Stream s, int? expectedMagic, bool gzipped)
    {
        string what = gzipped ? "decompressed data" : "data";
        Span<byte> head = stackalloc byte[4];
        int got = ReadFully(s, head);
        if (got < 4)
            throw new DatasetFileException(path, $"IDX file '{path}' is truncated: expected a 4-byte magic number, got {got} bytes.");
        int magic = BinaryPrimitives.ReadInt32BigEndian(head);
        int ndim = head[3];
        if (head[0] != 0 || head[1] != 0 || head[2] != 0x08 || ndim == 0 || (expectedMagic is { } m && magic != m))
            throw new DatasetFileException(path,
                $"IDX file '{path}' has a bad magic number 0x{magic:X8}: expected {(expectedMagic is { } e ? $"0x{e:X8}" : "0x000008nn (unsigned bytes, nn dimensions)")}" +
                (gzipped ? "." : " (or the file is not an IDX file)."));
        var dimBytes = new byte[4 * ndim];
        got = ReadFully(s, dimBytes);
        if (got < dimBytes.Length)
            throw new DatasetFileException(path, $"IDX file '{path}' is truncated: expected a {4 + dimBytes.Length}-byte header, got {4 + got} bytes.");
        var dims = new int[ndim];
        long total = 1;
        for (int i = 0; i < ndim; i++)
        {
            int d = BinaryPrimitives.ReadInt32BigEndian(dimBytes.AsSpan(4 * i));
            if (d < 0)
                throw new DatasetFileException(path, $"IDX file '{path}' has a negative dimension {d} in its header.");
            dims[i] = d;
            total *= d;
            if (total > Array.MaxLength)
                throw new DatasetFileException(path, $"IDX file '{path}' declares dimensions [{string.Join(", ", dims.Take(i + 1))}...], more than {Array.MaxLength} bytes.");
        }
        // Loaded data lives as long as the dataset: the pinned heap never moves it, so the first garbage collections
        // of a training loop do not copy megabytes of pixels up through the generations.
        var data = GC.AllocateUninitializedArray<byte>((int)total, pinned: total >= LongLivedBytes);
        got = ReadFully(s, data);
        if (got < data.Length)
            throw new DatasetFileException(path,
                $"IDX file '{path}' is truncated: dimensions [{string.Join(", ", dims)}] need {data.Length} bytes of {what} after the {4 + 4 * ndim}-byte header, got {got}.");
        Span<byte> extra = stackalloc byte[1];
        if (s.Read(extra) != 0)
        {
            long more = 1 + CountRemaining(s);
            throw new DatasetFileException(path,
                $"IDX file '{path}' has {more} unexpected bytes of {what} after the {data.Length} bytes that dimensions [{string.Join(", ", dims)}] need.");
        }
        return new IdxArray(data, dims);
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

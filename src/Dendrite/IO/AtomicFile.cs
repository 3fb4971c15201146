using System.Diagnostics;
using System.Globalization;

namespace Dendrite.IO;

/// <summary>
/// Writes files atomically: the content goes to a temporary file in the same folder, is flushed to disk, and then
/// replaces the target with one rename, so readers see either the old file or the complete new one. Temporary files
/// are named <c>.&lt;name&gt;.&lt;pid&gt;.&lt;guid&gt;.tmp</c>; one left behind by a process that was killed
/// mid-write (its process id no longer runs) is deleted by the next write into the same folder.
/// </summary>
public static class AtomicFile
{
    private const string TempSuffix = ".tmp";

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        RemoveStaleTemporaries(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 to <paramref name="path"/>, atomically.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, s =>
        {
            using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            w.Write(text);
        });
    }

    /// <summary>
    /// Deletes the temporary files of atomic writes in <paramref name="folder"/> whose writing process is no longer
    /// running (killed mid-write); files of this process and of live processes are kept. Returns how many were deleted.
    /// </summary>
    public static int RemoveStaleTemporaries(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
            return 0;
        int removed = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "." + "*" + TempSuffix))
        {
            if (WriterProcessId(Path.GetFileName(file)) is not int pid || pid == Environment.ProcessId || IsRunning(pid))
                continue;
            if (TryDelete(file))
                removed++;
        }
        return removed;
    }

    // ".<name>.<pid>.<32 hex digits>.tmp" -> pid; null for any other name.
    internal static int? WriterProcessId(string fileName)
    {
        if (!fileName.StartsWith('.') || !fileName.EndsWith(TempSuffix, StringComparison.Ordinal))
            return null;
        string stem = fileName[..^TempSuffix.Length];
        int guidDot = stem.LastIndexOf('.');
        if (guidDot <= 0 || stem.Length - guidDot - 1 != 32 || stem.AsSpan(guidDot + 1).ContainsAnyExcept("0123456789abcdef"))
            return null;
        int pidDot = stem.LastIndexOf('.', guidDot - 1);
        if (pidDot <= 0)
            return null;
        return int.TryParse(stem.AsSpan(pidDot + 1, guidDot - pidDot - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0
            ? pid : null;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryDelete(string file)
    {
        try
        {
            File.Delete(file);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}

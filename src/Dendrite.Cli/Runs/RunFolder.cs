using System.Globalization;
using System.Text.Json.Nodes;

namespace Dendrite.Cli.Runs;

/// <summary>
/// The folder of one run: <c>runs/&lt;name&gt;-&lt;yyyyMMdd-HHmmss&gt;/</c> holding config.json, history.csv,
/// metrics.json, report.json (the report's data), report.html and checkpoints.
/// </summary>
public sealed class RunFolder
{
    /// <summary>File names inside a run folder.</summary>
    public const string ConfigFile = "config.json", HistoryFile = "history.csv", MetricsFile = "metrics.json",
        ReportDataFile = "report.json", ReportFile = "report.html";

    private const string StagingPrefix = ".staging-";

    private RunFolder(string path) => Path = path;

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>While a <see cref="Stage"/> is open: the hidden folder that receives this run's writes.</summary>
    private string? _staging;

    /// <summary>Creates a fresh run folder under <paramref name="root"/> (a suffix keeps two runs in one second apart).</summary>
    public static RunFolder Create(string root, string name, DateTime now)
    {
        string stem = $"{name}-{now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
        Directory.CreateDirectory(root);
        for (int i = 1; ; i++)
        {
            string path = System.IO.Path.Combine(root, i == 1 ? stem : $"{stem}-{i}");
            if (Directory.Exists(path)) continue;
            Directory.CreateDirectory(path);
            return new RunFolder(System.IO.Path.GetFullPath(path));
        }
    }

    /// <summary>
    /// Checks, before anything runs, that <paramref name="root"/> (given as <paramref name="option"/>) can hold run
    /// folders: a folder, or a path where one can be created.
    /// </summary>
    public static void CheckRoot(string root, string option = "--out")
    {
        if (string.IsNullOrWhiteSpace(root))
            throw new Commands.UsageException($"{option} is empty, but must be a folder for the run folders");
        if (System.IO.File.Exists(root))
            throw new Commands.UsageException($"{option} is '{root}', which is a file, but must be a folder for the run folders (created when missing)");
        for (var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(root)); dir is not null; dir = System.IO.Path.GetDirectoryName(dir))
            if (System.IO.File.Exists(dir))
                throw new Commands.UsageException($"{option} is '{root}', but {dir} is a file, so no folder can be created there");
    }

    /// <summary>Opens an existing run folder.</summary>
    public static RunFolder Open(string path)
    {
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"run folder '{path}' does not exist");
        return new RunFolder(System.IO.Path.GetFullPath(path));
    }

    /// <summary>The full path of a file in the folder (where it is, or will be once a stage is committed).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Where to write a file now: into the open stage, if any, else into the folder.</summary>
    public string WritePath(string name) => System.IO.Path.Combine(_staging ?? Path, name);

    /// <summary>Where to read a file now: its staged version when this stage wrote one, else the folder's.</summary>
    public string ReadPath(string name) =>
        _staging is not null && System.IO.File.Exists(System.IO.Path.Combine(_staging, name)) ? System.IO.Path.Combine(_staging, name) : File(name);

    /// <summary>
    /// Sends every write into a hidden staging folder until <see cref="RunStage.Commit"/> moves the files into the run
    /// folder; disposing the stage without committing deletes them. A command that continues an existing run (a
    /// resume) writes through a stage, so that when it fails every earlier file stays byte-identical. Stages left
    /// by killed processes are removed here.
    /// </summary>
    public RunStage Stage()
    {
        if (_staging is not null)
            throw new InvalidOperationException($"RunFolder: {Path} already has an open stage");
        foreach (var stale in Directory.EnumerateDirectories(Path, StagingPrefix + "*"))
            if (StagingOwner(System.IO.Path.GetFileName(stale)) is int pid && pid != Environment.ProcessId && !IsRunning(pid))
                TryDelete(stale);
        _staging = System.IO.Path.Combine(Path, $"{StagingPrefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_staging);
        return new RunStage(this, _staging);
    }

    private static int? StagingOwner(string name)
    {
        var parts = name[StagingPrefix.Length..].Split('-');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next stage to remove.
        }
    }

    /// <summary>An open stage of a <see cref="RunFolder"/>: commit it to keep what was written, dispose it to drop it.</summary>
    public sealed class RunStage : IDisposable
    {
        private readonly RunFolder _run;
        private readonly string _dir;
        private bool _closed;

        internal RunStage(RunFolder run, string dir) => (_run, _dir) = (run, dir);

        /// <summary>
        /// Moves every staged file into the run folder, each replacing its old version in one rename. History journals
        /// go first: until the checkpoint that uses a journal's new records arrives, the old checkpoint still reads
        /// its own (unchanged) prefix of it, so a process killed half-way leaves a loadable checkpoint.
        /// </summary>
        public void Commit()
        {
            foreach (var file in Directory.EnumerateFiles(_dir).OrderBy(f => f.EndsWith(".jsonl", StringComparison.Ordinal) ? 0 : 1).ThenBy(f => f, StringComparer.Ordinal))
                System.IO.File.Move(file, System.IO.Path.Combine(_run.Path, System.IO.Path.GetFileName(file)), overwrite: true);
            Dispose();
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_closed)
                return;
            _closed = true;
            _run._staging = null;
            TryDelete(_dir);
        }
    }

    /// <summary>The folder's name (experiment and time).</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Writes config.json with a <c>configHash</c> computed over the rest of the config; returns the hash.</summary>
    public string WriteConfig(JsonObject config)
    {
        config.Remove("configHash");
        string hash = Json.Hash(config);
        config["configHash"] = hash;
        Json.WriteAllTextAtomic(WritePath(ConfigFile), config.ToJsonString(Json.Options));
        return hash;
    }

    /// <summary>Writes metrics.json.</summary>
    public void WriteMetrics(JsonObject metrics) => Json.WriteAllTextAtomic(WritePath(MetricsFile), metrics.ToJsonString(Json.Options));

    /// <summary>Writes history.csv.</summary>
    public void WriteHistory(RunHistory history) => Json.WriteAllTextAtomic(WritePath(HistoryFile), history.ToCsv());

    /// <summary>Reads history.csv (empty when the run logged no epochs).</summary>
    public RunHistory ReadHistory() =>
        System.IO.File.Exists(ReadPath(HistoryFile)) ? RunHistory.FromCsv(System.IO.File.ReadAllText(ReadPath(HistoryFile)), ReadPath(HistoryFile)) : new RunHistory();

    /// <summary>Reads config.json (a JSON object, else an error naming the file).</summary>
    public JsonObject ReadConfig() => Json.ReadObject(ReadPath(ConfigFile));

    /// <summary>Reads metrics.json (empty when absent).</summary>
    public JsonObject ReadMetrics() => System.IO.File.Exists(ReadPath(MetricsFile)) ? Json.ReadObject(ReadPath(MetricsFile)) : [];
}

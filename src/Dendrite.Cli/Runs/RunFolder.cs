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

    private RunFolder(string path) => Path = path;

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

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

    /// <summary>Opens an existing run folder.</summary>
    public static RunFolder Open(string path)
    {
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"run folder '{path}' does not exist");
        return new RunFolder(System.IO.Path.GetFullPath(path));
    }

    /// <summary>The full path of a file in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The folder's name (experiment and time).</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Writes config.json with a <c>configHash</c> computed over the rest of the config; returns the hash.</summary>
    public string WriteConfig(JsonObject config)
    {
        config.Remove("configHash");
        string hash = Json.Hash(config);
        config["configHash"] = hash;
        Json.WriteAllTextAtomic(File(ConfigFile), config.ToJsonString(Json.Options));
        return hash;
    }

    /// <summary>Writes metrics.json.</summary>
    public void WriteMetrics(JsonObject metrics) => Json.WriteAllTextAtomic(File(MetricsFile), metrics.ToJsonString(Json.Options));

    /// <summary>Writes history.csv.</summary>
    public void WriteHistory(RunHistory history) => Json.WriteAllTextAtomic(File(HistoryFile), history.ToCsv());

    /// <summary>Reads history.csv (empty when the run logged no epochs).</summary>
    public RunHistory ReadHistory() =>
        System.IO.File.Exists(File(HistoryFile)) ? RunHistory.FromCsv(System.IO.File.ReadAllText(File(HistoryFile)), File(HistoryFile)) : new RunHistory();

    /// <summary>Reads config.json.</summary>
    public JsonObject ReadConfig() => Json.ReadFile(File(ConfigFile)).AsObject();

    /// <summary>Reads metrics.json (empty when absent).</summary>
    public JsonObject ReadMetrics() => System.IO.File.Exists(File(MetricsFile)) ? Json.ReadFile(File(MetricsFile)).AsObject() : [];
}

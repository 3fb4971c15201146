using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Dendrite.Training;

/// <summary>
/// The records of a history kept beside a training checkpoint as an append-only file of JSON lines
/// (<c>last.safetensors</c> → <c>last.history.jsonl</c>), so that a checkpoint written every epoch costs the same at
/// epoch 6000 as at epoch 1. The checkpoint names the file and the length and SHA-256 of the prefix that belongs to
/// it: records appended by a later epoch (or half-written by a killed process) are ignored, and a file that does not
/// match is an error. Lines are <c>{"kind": "epoch", ...}</c> or <c>{"kind": "step", ...}</c>.
/// </summary>
internal sealed class HistoryJournal
{
    private readonly IncrementalHash _hash;

    private HistoryJournal(string path, IncrementalHash hash, long bytes, int epochs, int steps)
    {
        Path = path;
        _hash = hash;
        Bytes = bytes;
        Epochs = epochs;
        Steps = steps;
    }

    /// <summary>The journal file.</summary>
    public string Path { get; }

    /// <summary>Bytes that belong to the records written so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>Epoch records written so far.</summary>
    public int Epochs { get; private set; }

    /// <summary>Step records written so far.</summary>
    public int Steps { get; private set; }

    /// <summary>The journal file of a checkpoint: its name with the extension replaced by <c>.history.jsonl</c>.</summary>
    public static string PathFor(string checkpoint) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(checkpoint)) ?? ".",
            System.IO.Path.GetFileNameWithoutExtension(checkpoint) + ".history.jsonl");

    /// <summary>Writes a new journal holding every record of <paramref name="history"/>.</summary>
    public static HistoryJournal Create(string path, History history)
    {
        var journal = new HistoryJournal(path, IncrementalHash.CreateHash(HashAlgorithmName.SHA256), 0, 0, 0);
        journal.Write(history, FileMode.Create);
        return journal;
    }

    /// <summary>Appends the records of <paramref name="history"/> not yet written (dropping anything past <see cref="Bytes"/>).</summary>
    public void Append(History history) => Write(history, FileMode.OpenOrCreate);

    /// <summary>Whether this journal can continue <paramref name="history"/> in <paramref name="path"/>: the same file, and no record lost.</summary>
    public bool Continues(string path, History history) =>
        string.Equals(Path, path, StringComparison.Ordinal) && Epochs <= history.Epochs.Count && Steps <= history.Steps.Count && File.Exists(path);

    private void Write(History history, FileMode mode)
    {
        var text = new StringBuilder();
        for (int i = Epochs; i < history.Epochs.Count; i++)
            text.Append(Line("epoch", HistoryJson.Epoch(history.Epochs[i])));
        for (int i = Steps; i < history.Steps.Count; i++)
            text.Append(Line("step", HistoryJson.Step(history.Steps[i])));
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path) ?? ".");
        using (var fs = new FileStream(Path, mode, FileAccess.Write, FileShare.Read))
        {
            fs.SetLength(Bytes);
            fs.Position = Bytes;
            fs.Write(bytes);
            fs.Flush(flushToDisk: true);
        }
        _hash.AppendData(bytes);
        Bytes += bytes.Length;
        Epochs = history.Epochs.Count;
        Steps = history.Steps.Count;
    }

    private static string Line(string kind, JsonObject record)
    {
        var line = new JsonObject { ["kind"] = kind };
        foreach (var (k, v) in record.ToList())
        {
            record.Remove(k);
            line[k] = v;
        }
        return line.ToJsonString() + "\n";
    }

    /// <summary>What a checkpoint stores to find its records again.</summary>
    public JsonObject Reference() => new()
    {
        ["file"] = System.IO.Path.GetFileName(Path),
        ["bytes"] = Bytes,
        ["sha256"] = Convert.ToHexStringLower(_hash.GetCurrentHash()),
        ["epochs"] = Epochs,
        ["steps"] = Steps,
    };

    /// <summary>
    /// Reads the records a checkpoint at <paramref name="checkpoint"/> refers to; returns them and the journal, ready
    /// to append to. Problems are <see cref="FormatException"/>s saying what does not match.
    /// </summary>
    public static (List<EpochRecord> Epochs, List<StepRecord> Steps, HistoryJournal Journal) Read(string checkpoint, JsonObject reference)
    {
        string file = HistoryJson.ReadString(reference["file"], "journal.file") ?? throw new FormatException("journal.file is missing.");
        if (file.Length == 0 || file != System.IO.Path.GetFileName(file) || file is "." or "..")
            throw new FormatException($"journal.file '{IO.ErrorText.Quote(file)}' must be the plain name of a file beside the checkpoint.");
        long bytes = HistoryJson.ReadLong(reference["bytes"], "journal.bytes");
        string sha = HistoryJson.ReadString(reference["sha256"], "journal.sha256") ?? throw new FormatException("journal.sha256 is missing.");
        int epochs = HistoryJson.ReadInt(reference["epochs"], "journal.epochs");
        int steps = HistoryJson.ReadInt(reference["steps"], "journal.steps");
        string path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(checkpoint)) ?? ".", file);
        if (!File.Exists(path))
            throw new FormatException($"its history journal '{path}' does not exist (a checkpoint written during training keeps its history in that file beside it).");
        byte[] data;
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            if (fs.Length < bytes)
                throw new FormatException($"its history journal '{path}' has {fs.Length} bytes but the checkpoint's history takes {bytes} (the journal is truncated or from another run).");
            data = new byte[bytes];
            fs.ReadExactly(data);
        }
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(data);
        if (!string.Equals(Convert.ToHexStringLower(hash.GetCurrentHash()), sha, StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"its history journal '{path}' does not match the checkpoint (SHA-256 of its first {bytes} bytes differs; the journal is from another run or was edited).");
        var epochList = new List<EpochRecord>();
        var stepList = new List<StepRecord>();
        int lineNo = 0;
        foreach (var line in Encoding.UTF8.GetString(data).Split('\n'))
        {
            if (line.Length == 0)
                continue;
            lineNo++;
            string where = $"journal line {lineNo.ToString(CultureInfo.InvariantCulture)}";
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new FormatException($"{where} is not valid JSON: {IO.ErrorText.Json(e)}.", e);
            }
            var o = HistoryJson.ReadObject(node, where);
            switch (HistoryJson.ReadString(o["kind"], where + ".kind"))
            {
                case "epoch": epochList.Add(HistoryJson.ReadEpoch(o, where)); break;
                case "step": stepList.Add(HistoryJson.ReadStep(o, where)); break;
                default: throw new FormatException($"{where}.kind must be \"epoch\" or \"step\".");
            }
        }
        if (epochList.Count != epochs || stepList.Count != steps)
            throw new FormatException($"its history journal holds {epochList.Count} epochs and {stepList.Count} steps but the checkpoint expects {epochs} and {steps}.");
        return (epochList, stepList, new HistoryJournal(path, hash, bytes, epochs, steps));
    }
}

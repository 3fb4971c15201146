using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Dendrite.Cli.Runs;
using Dendrite.Training;

namespace Dendrite.Cli.Lab.Common;

/// <summary>One result in a <see cref="RunLedger"/>: a label, the hash of its config, the hash of its training log.</summary>
/// <param name="Label">How the run is named in tables, e.g. <c>2-5-3-1, lr 1</c>.</param>
/// <param name="ConfigHash">12 hex digits of the SHA-256 of the run's canonical config (<see cref="Json.Hash"/>).</param>
/// <param name="LogHash">12 hex digits of the SHA-256 of every number its training log holds.</param>
public sealed record LedgerEntry(string Label, string ConfigHash, string LogHash);

/// <summary>
/// Results of several runs with the hash of each run's config and of its training log, to check that results are what
/// they claim to be: two runs with different configs whose logs are identical to the last digit did not both happen
/// (one log was copied), and are flagged.
/// </summary>
public sealed class RunLedger
{
    private readonly List<LedgerEntry> _entries = [];

    /// <summary>The entries in the order they were added.</summary>
    public IReadOnlyList<LedgerEntry> Entries => _entries;

    /// <summary>Records a run: its config (hashed canonically) and its per-epoch history (hashed exactly).</summary>
    public LedgerEntry Add(string label, JsonNode config, History log) => Add(label, Json.Hash(config), LogHash(log));

    /// <summary>Records a run whose hashes are known.</summary>
    public LedgerEntry Add(string label, string configHash, string logHash)
    {
        var entry = new LedgerEntry(label, configHash, logHash);
        _entries.Add(entry);
        return entry;
    }

    /// <summary>
    /// Pairs of entries whose logs are identical although their configs differ, each pair once, in order of addition.
    /// </summary>
    public IReadOnlyList<(LedgerEntry First, LedgerEntry Second)> IdenticalLogs()
    {
        var pairs = new List<(LedgerEntry, LedgerEntry)>();
        for (int i = 0; i < _entries.Count; i++)
            for (int j = i + 1; j < _entries.Count; j++)
                if (_entries[i].LogHash == _entries[j].LogHash && _entries[i].ConfigHash != _entries[j].ConfigHash)
                    pairs.Add((_entries[i], _entries[j]));
        return pairs;
    }

    /// <summary>
    /// 12 hex digits of the SHA-256 of a training log: every epoch's number and every recorded value (names sorted,
    /// values in round-trip form), so two logs share a hash only when they agree to the last bit.
    /// </summary>
    public static string LogHash(History log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var text = new StringBuilder();
        foreach (var epoch in log.Epochs)
        {
            text.Append(epoch.Epoch.ToString(CultureInfo.InvariantCulture));
            foreach (var (name, value) in epoch.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                text.Append(';').Append(name).Append('=').Append(value.ToString("R", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12];
    }
}

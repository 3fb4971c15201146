using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dendrite.Cli.Runs;

/// <summary>JSON settings shared by every file a run writes, plus the canonical form used for config hashes.</summary>
public static class Json
{
    /// <summary>Indented camel-case JSON that keeps non-finite numbers readable.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Compact variant of <see cref="Options"/>.</summary>
    public static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };

    /// <summary>Serializes a value to a JSON tree.</summary>
    public static JsonNode ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Options)
        ?? throw new InvalidOperationException($"Json.ToNode: {typeof(T).Name} serialized to null");

    /// <summary>The canonical text of a JSON tree: object keys sorted ordinally, no whitespace.</summary>
    public static string Canonical(JsonNode? node)
    {
        var sb = new StringBuilder();
        WriteCanonical(node, sb);
        return sb.ToString();
    }

    private static void WriteCanonical(JsonNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case null: sb.Append("null"); break;
            case JsonObject obj:
                sb.Append('{');
                bool first = true;
                foreach (var kv in obj.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    sb.Append(JsonSerializer.Serialize(kv.Key)).Append(':');
                    WriteCanonical(kv.Value, sb);
                }
                sb.Append('}');
                break;
            case JsonArray arr:
                sb.Append('[');
                for (int i = 0; i < arr.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    WriteCanonical(arr[i], sb);
                }
                sb.Append(']');
                break;
            default: sb.Append(node.ToJsonString(Compact)); break;
        }
    }

    /// <summary>The first 12 hex digits of the SHA-256 of the canonical JSON of <paramref name="config"/>.</summary>
    public static string Hash(JsonNode? config)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(config)));
        return Convert.ToHexStringLower(digest)[..12];
    }

    /// <summary>Writes text to a file atomically (a temporary file of this process, flushed, then renamed over it).</summary>
    public static void WriteAllTextAtomic(string path, string text) => IO.AtomicFile.WriteAllText(path, text);

    /// <summary>Reads and parses a JSON file, with a clear error when it is missing or malformed.</summary>
    public static JsonNode ReadFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist", path);
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} holds JSON null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {(e.Message.Length <= 200 ? e.Message : e.Message[..200] + "…")}", e);
        }
    }

    /// <summary>Reads a JSON file that must hold an object.</summary>
    public static JsonObject ReadObject(string path) =>
        ReadFile(path) as JsonObject ?? throw new InvalidDataException($"{path} must hold a JSON object");
}

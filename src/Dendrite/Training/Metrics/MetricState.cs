using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dendrite.Training.Metrics;

/// <summary>Reads the fields of a saved metric state, failing with a message that names the metric and the field.</summary>
internal static class MetricState
{
    public static JsonObject Object(JsonNode? state, string metric) =>
        state as JsonObject ?? throw new InvalidDataException($"{metric}: the saved state must be a JSON object, found {Kind(state)}.");

    public static long Count(JsonObject state, string key, string metric) => Count(state[key], $"'{key}'", metric);

    public static long Count(JsonNode? value, string what, string metric)
    {
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out long n) && n >= 0)
            return n;
        throw new InvalidDataException($"{metric}: the saved state's {what} must be a non-negative integer, found {Kind(value)}.");
    }

    public static double Number(JsonObject state, string key, string metric)
    {
        if (state[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out double d) && double.IsFinite(d))
            return d;
        throw new InvalidDataException($"{metric}: the saved state's '{key}' must be a finite number, found {Kind(state[key])}.");
    }

    private static string Kind(JsonNode? n) => n is null ? "nothing" : n.GetValueKind().ToString();
}

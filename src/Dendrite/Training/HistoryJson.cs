using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dendrite.Training;

/// <summary>
/// The JSON form of history records, shared by <see cref="History.ToJson"/>, checkpoints and the history journal.
/// Numbers round-trip exactly; non-finite ones are written as the strings "NaN", "Infinity" and "-Infinity" (null
/// reads as NaN). Readers are strict: anything malformed is a <see cref="FormatException"/> naming where it is.
/// </summary>
internal static class HistoryJson
{
    public static JsonNode Num(double v) =>
        double.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(v.ToString(CultureInfo.InvariantCulture));

    public static double ReadNum(JsonNode? n, string where)
    {
        if (n is null)
            return double.NaN;
        if (n is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.Number when v.TryGetValue(out double d):
                    return d;
                case JsonValueKind.String:
                    switch (Text(v, where))
                    {
                        case "NaN": return double.NaN;
                        case "Infinity": return double.PositiveInfinity;
                        case "-Infinity": return double.NegativeInfinity;
                    }
                    break;
            }
        }
        throw new FormatException($"{where} must be a number, found {Describe(n)}.");
    }

    public static long ReadLong(JsonNode? n, string where, long min = 0)
    {
        if (n is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out long x) && x >= min)
            return x;
        throw new FormatException($"{where} must be an integer of at least {min}, found {Describe(n)}.");
    }

    public static int ReadInt(JsonNode? n, string where, int min = 0)
    {
        long x = ReadLong(n, where, min);
        return x <= int.MaxValue ? (int)x : throw new FormatException($"{where} must be an integer of at most {int.MaxValue}, found {x}.");
    }

    public static bool ReadBool(JsonNode? n, string where, bool absent)
    {
        if (n is null)
            return absent;
        if (n is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            return v.GetValue<bool>();
        throw new FormatException($"{where} must be true or false, found {Describe(n)}.");
    }

    public static string? ReadString(JsonNode? n, string where)
    {
        if (n is null)
            return null;
        if (n is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            return Text(v, where);
        throw new FormatException($"{where} must be a string, found {Describe(n)}.");
    }

    // A JSON string may unescape to invalid UTF-16 ("\ud800"), which the reader refuses to return.
    private static string Text(JsonValue v, string where)
    {
        try
        {
            return v.GetValue<string>();
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException($"{where} is not a valid string ({e.Message}).", e);
        }
    }

    public static JsonObject ReadObject(JsonNode? n, string where) =>
        n as JsonObject ?? throw new FormatException($"{where} must be a JSON object, found {Describe(n)}.");

    public static JsonArray ReadArray(JsonNode? n, string where) =>
        n as JsonArray ?? throw new FormatException($"{where} must be a JSON array, found {Describe(n)}.");

    public static string Describe(JsonNode? n)
    {
        if (n is null)
            return "nothing";
        string text = n.ToJsonString();
        return $"{n.GetValueKind().ToString().ToLowerInvariant()} {(text.Length <= 40 ? text : text[..40] + "…")}";
    }

    public static JsonObject Epoch(EpochRecord e)
    {
        var values = new JsonObject();
        foreach (var (k, v) in e.Values)
            values[k] = Num(v);
        var epoch = new JsonObject { ["epoch"] = e.Epoch, ["seconds"] = Num(e.Seconds), ["values"] = values };
        if (!e.Evaluated)
            epoch["evaluated"] = false;
        return epoch;
    }

    public static EpochRecord ReadEpoch(JsonNode? n, string where)
    {
        var o = ReadObject(n, where);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (k, v) in ReadObject(o["values"], where + ".values"))
            values[k] = ReadNum(v, $"{where}.values.{k}");
        return new EpochRecord(ReadInt(o["epoch"], where + ".epoch", 1), values, ReadNum(o["seconds"], where + ".seconds"),
            ReadBool(o["evaluated"], where + ".evaluated", absent: true));
    }

    public static JsonObject Step(StepRecord s) =>
        new() { ["epoch"] = s.Epoch, ["step"] = s.Step, ["global_step"] = s.GlobalStep, ["loss"] = Num(s.Loss), ["lr"] = Num(s.Lr) };

    public static StepRecord ReadStep(JsonNode? n, string where)
    {
        var o = ReadObject(n, where);
        return new StepRecord(ReadInt(o["epoch"], where + ".epoch", 1), ReadInt(o["step"], where + ".step", 1),
            ReadLong(o["global_step"], where + ".global_step", 1), ReadNum(o["loss"], where + ".loss"), ReadNum(o["lr"], where + ".lr"));
    }
}

using System.Globalization;
using System.Text;

namespace Dendrite.IO;

/// <summary>
/// Bounds what an error message quotes from a file: a hostile file may hold megabyte-long names, shapes with
/// thousands of dimensions or half a million entries, and a message must stay readable (and small) anyway.
/// </summary>
internal static class ErrorText
{
    /// <summary>Characters of one quoted value kept in a message.</summary>
    public const int MaxQuoted = 80;

    /// <summary>Items of a list kept in a message.</summary>
    public const int MaxItems = 8;

    /// <summary><paramref name="text"/>, cut to <paramref name="max"/> characters with a note of its full length.</summary>
    public static string Quote(string text, int max = MaxQuoted)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= max
            ? text
            : string.Create(CultureInfo.InvariantCulture, $"{text[..max]}… ({text.Length} characters)");
    }

    /// <summary>
    /// A JSON parser's complaint without the document it quotes: the reader's message (cut short) and where it stopped.
    /// </summary>
    public static string Json(System.Text.Json.JsonException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string message = e.Message;
        int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (at >= 0)
            message = message[..at];
        string where = e.BytePositionInLine is { } b ? $" (line {e.LineNumber + 1}, byte {b + 1})" : "";
        return Quote(message.TrimEnd(), 160) + where;
    }

    /// <summary>A shape as <c>[2, 3]</c>, cut after <see cref="MaxItems"/> dimensions with a note of the rank.</summary>
    public static string Shape(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var sb = new StringBuilder("[");
        for (int i = 0; i < Math.Min(shape.Count, MaxItems); i++)
            sb.Append(i > 0 ? ", " : "").Append(shape[i].ToString(CultureInfo.InvariantCulture));
        if (shape.Count > MaxItems)
            sb.Append(CultureInfo.InvariantCulture, $", … ({shape.Count} dimensions)");
        return sb.Append(']').ToString();
    }

    /// <summary>The first <see cref="MaxItems"/> items, quoted and comma-separated, with a count of the rest.</summary>
    public static string List(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var sb = new StringBuilder();
        int n = 0;
        foreach (var item in items)
        {
            if (n < MaxItems)
                sb.Append(n > 0 ? ", " : "").Append('\'').Append(Quote(item)).Append('\'');
            n++;
        }
        if (n > MaxItems)
            sb.Append(CultureInfo.InvariantCulture, $" and {n - MaxItems} more");
        return sb.ToString();
    }
}

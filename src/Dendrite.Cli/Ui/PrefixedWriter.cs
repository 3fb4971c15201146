using System.Text;

namespace Dendrite.Cli.Ui;

/// <summary>Writes to another writer with <paramref name="prefix"/> at the start of every line (a rank's errors in a distributed run).</summary>
public sealed class PrefixedWriter(TextWriter inner, string prefix) : TextWriter
{
    private bool _lineStart = true;

    /// <inheritdoc />
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc />
    public override void Write(char value)
    {
        if (_lineStart && value != '\r')
            inner.Write(prefix);
        inner.Write(value);
        _lineStart = value == '\n';
    }

    /// <inheritdoc />
    public override void Write(string? value)
    {
        foreach (char c in value ?? "")
            Write(c);
    }

    /// <inheritdoc />
    public override void Flush() => inner.Flush();
}

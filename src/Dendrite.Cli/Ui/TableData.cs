namespace Dendrite.Cli.Ui;

/// <summary>A table to print: a title, column headers and rows of cells.</summary>
public sealed class TableData(string title, params string[] columns)
{
    /// <summary>The caption shown above the table.</summary>
    public string Title { get; } = title;

    /// <summary>The column headers.</summary>
    public IReadOnlyList<string> Columns { get; } = columns;

    /// <summary>The rows added so far.</summary>
    public List<string[]> Rows { get; } = [];

    /// <summary>Adds a row; it must have one cell per column.</summary>
    public TableData Add(params string[] cells)
    {
        if (cells.Length != Columns.Count)
            throw new ArgumentException($"TableData.Add: table '{Title}' has {Columns.Count} columns but the row has {cells.Length} cells");
        Rows.Add(cells);
        return this;
    }

    /// <summary>Adds several rows.</summary>
    public TableData AddRange(IEnumerable<string[]> rows)
    {
        foreach (var r in rows) Add(r);
        return this;
    }

    /// <summary>Formats the table as aligned plain text.</summary>
    public string ToPlainText()
    {
        var widths = new int[Columns.Count];
        for (int c = 0; c < widths.Length; c++)
        {
            widths[c] = Columns[c].Length;
            foreach (var row in Rows) widths[c] = Math.Max(widths[c], row[c].Length);
        }
        var sb = new System.Text.StringBuilder();
        if (Title.Length > 0) sb.AppendLine(Title);
        AppendRow(sb, [.. Columns], widths);
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in Rows) AppendRow(sb, row, widths);
        return sb.ToString();
    }

    private static void AppendRow(System.Text.StringBuilder sb, string[] cells, int[] widths)
    {
        for (int c = 0; c < cells.Length; c++)
        {
            if (c > 0) sb.Append("  ");
            sb.Append(c == cells.Length - 1 ? cells[c] : cells[c].PadRight(widths[c]));
        }
        sb.AppendLine();
    }
}

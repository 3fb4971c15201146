using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Dendrite.Cli.Ui;

/// <summary>
/// Draws a progress bar as two rows that always fit the terminal, whatever its width: the name, a bar that shrinks
/// to make room, the percentage, the elapsed time and the first line of the status; then, as a second task row, the
/// status's second line (metrics), cut with an ellipsis when too long. Separate Spectre columns wrap into fragments
/// once the status grows (test metrics join it), and a task row is drawn on a single line, so each row is laid out
/// here.
/// </summary>
internal sealed class ProgressLineColumn : ProgressColumn
{
    private const int MinBar = 10, MaxBar = 40;

    /// <summary>What a row shows, by task id: a bar row, or the detail row of a bar.</summary>
    public Dictionary<int, Row> Rows { get; } = [];

    /// <summary>A bar's name and status; <see cref="Detail"/> marks the row that shows the status's second line.</summary>
    public sealed class Row(string name, bool detail)
    {
        public string Name { get; } = name;
        public bool Detail { get; } = detail;
        public string Status { get; set; } = "";
    }

    /// <inheritdoc />
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        int width = Math.Max(24, options.ConsoleSize.Width - 1); // never the last column: some terminals wrap there
        var row = Rows.GetValueOrDefault(task.Id) ?? new Row("", false);
        var lines = row.Status.Split('\n', 2);
        if (row.Detail)
            return new Markup(lines.Length > 1 ? $"[grey]  {Markup.Escape(Fit(lines[1], width - 2))}[/]" : "");
        string head = lines[0];
        string pct = string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(task.Percentage),3:F0}%");
        string elapsed = Elapsed(task.ElapsedTime ?? TimeSpan.Zero);
        // name␣␣bar␣␣pct␣␣elapsed␣␣head: the bar takes what the text leaves, within [MinBar, MaxBar].
        string name = Fit(row.Name, width / 3);
        int fixedWidth = name.Length + 2 + 2 + pct.Length + 2 + elapsed.Length + (head.Length > 0 ? 2 : 0);
        int bar = Math.Clamp(width - fixedWidth - head.Length, MinBar, MaxBar);
        head = Fit(head, width - fixedWidth - bar);
        int filled = task.MaxValue > 0 ? (int)Math.Round(bar * Math.Clamp(task.Value / task.MaxValue, 0, 1)) : bar;
        string barMarkup = $"[green]{new string('━', filled)}[/][grey]{new string('━', bar - filled)}[/]";
        return new Markup($"{Markup.Escape(name)}  {barMarkup}  {pct}  [blue]{elapsed}[/]{(head.Length > 0 ? "  " + Markup.Escape(head) : "")}");
    }

    /// <summary>Cuts text to <paramref name="width"/> characters, ending with an ellipsis when cut.</summary>
    public static string Fit(string text, int width) =>
        width <= 0 ? "" : text.Length <= width ? text : width == 1 ? "…" : text[..(width - 1)] + "…";

    private static string Elapsed(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");
}

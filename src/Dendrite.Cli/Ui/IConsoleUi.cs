namespace Dendrite.Cli.Ui;

/// <summary>How much a command prints and where.</summary>
public enum OutputMode
{
    /// <summary>Progress, logs, tables and the summary on stdout.</summary>
    Normal,
    /// <summary>Only the final summary (and errors).</summary>
    Quiet,
    /// <summary>Machine-readable JSON on stdout and nothing else there; human output goes to stderr.</summary>
    Json,
}

/// <summary>Tone of a log line (colour on a terminal, a prefix otherwise).</summary>
public enum Tone
{
    /// <summary>Ordinary text.</summary>
    Normal,
    /// <summary>Dimmed detail.</summary>
    Detail,
    /// <summary>Success.</summary>
    Good,
    /// <summary>A warning or a skipped step.</summary>
    Warning,
    /// <summary>A failure.</summary>
    Error,
}

/// <summary>
/// The one door through which every command and experiment talks to the user: tests capture it, and
/// non-interactive runs (CI, pipes) get plain text without ANSI control sequences.
/// </summary>
public interface IConsoleUi
{
    /// <summary>The output mode chosen on the command line.</summary>
    OutputMode Mode { get; }

    /// <summary>Whether --verbose asked for details such as stack traces.</summary>
    bool Verbose { get; }

    /// <summary>Writes one line of log text (suppressed with --quiet).</summary>
    void Line(string text, Tone tone = Tone.Normal);

    /// <summary>Writes a section heading (suppressed with --quiet).</summary>
    void Heading(string text);

    /// <summary>Writes a table (suppressed with --quiet).</summary>
    void Table(TableData table);

    /// <summary>Writes a final summary table: shown even with --quiet; on stderr with --json.</summary>
    void Summary(TableData table);

    /// <summary>Writes an error line to stderr, always.</summary>
    void Error(string text);

    /// <summary>Writes machine-readable output to stdout (only meaningful with --json).</summary>
    void Json(string json);

    /// <summary>Runs <paramref name="body"/> while showing live progress bars for the tasks it adds.</summary>
    void Progress(Action<IProgressScope> body);
}

/// <summary>A live progress display; tasks are added while it is shown.</summary>
public interface IProgressScope
{
    /// <summary>Adds a progress bar for a task of <paramref name="total"/> units.</summary>
    IProgressTask AddTask(string description, double total);
}

/// <summary>One progress bar.</summary>
public interface IProgressTask
{
    /// <summary>Sets the completed amount and the status text shown beside the bar.</summary>
    void Update(double value, string status);

    /// <summary>Marks the task finished with a last status text.</summary>
    void Complete(string status);
}

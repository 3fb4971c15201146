using Spectre.Console;

namespace Dendrite.Cli.Ui;

/// <summary>
/// The console front end: Spectre.Console colours and live progress bars on a terminal, plain lines (no ANSI
/// sequences, progress at most every few seconds) when the output is redirected.
/// </summary>
public sealed class ConsoleUi : IConsoleUi
{
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;
    private readonly TextWriter _human;
    private readonly IAnsiConsole? _ansi;
    private readonly IAnsiConsole? _ansiErr;
    private readonly object _gate = new();

    /// <summary>Creates a console front end.</summary>
    /// <param name="mode">What to print and where.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="stdoutIsTerminal">Whether standard output is an interactive terminal.</param>
    /// <param name="stderrIsTerminal">Whether standard error is an interactive terminal.</param>
    public ConsoleUi(OutputMode mode, TextWriter stdout, TextWriter stderr, bool stdoutIsTerminal = false, bool stderrIsTerminal = false)
    {
        Mode = mode;
        _stdout = stdout;
        _stderr = stderr;
        bool humanOnStderr = mode == OutputMode.Json;
        _human = humanOnStderr ? stderr : stdout;
        bool interactive = humanOnStderr ? stderrIsTerminal : stdoutIsTerminal;
        if (interactive) _ansi = CreateAnsi(_human);
        if (stderrIsTerminal) _ansiErr = CreateAnsi(stderr);
    }

    /// <summary>A plain front end writing to the given writers (for tests and pipes).</summary>
    public static ConsoleUi Plain(OutputMode mode, TextWriter stdout, TextWriter stderr) => new(mode, stdout, stderr);

    /// <inheritdoc />
    public OutputMode Mode { get; }

    /// <inheritdoc />
    public bool Verbose { get; init; }

    private bool Chatty => Mode != OutputMode.Quiet;

    private static IAnsiConsole CreateAnsi(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Yes,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = InteractionSupport.Yes,
        Out = new AnsiConsoleOutput(writer),
    });

    /// <inheritdoc />
    public void Line(string text, Tone tone = Tone.Normal)
    {
        if (!Chatty) return;
        lock (_gate)
        {
            if (_ansi is not null)
            {
                string style = tone switch
                {
                    Tone.Detail => "grey",
                    Tone.Good => "green",
                    Tone.Warning => "yellow",
                    Tone.Error => "red",
                    _ => "default",
                };
                _ansi.MarkupLine($"[{style}]{Markup.Escape(text)}[/]");
            }
            else
            {
                string prefix = tone switch { Tone.Warning => "warning: ", Tone.Error => "error: ", _ => "" };
                _human.WriteLine(prefix + text);
            }
        }
    }

    /// <inheritdoc />
    public void Heading(string text)
    {
        if (!Chatty) return;
        lock (_gate)
        {
            if (_ansi is not null) _ansi.Write(new Rule($"[bold]{Markup.Escape(text)}[/]") { Justification = Justify.Left });
            else { _human.WriteLine(); _human.WriteLine("== " + text); }
        }
    }

    /// <inheritdoc />
    public void Table(TableData table)
    {
        if (Chatty) WriteTable(table, Mode == OutputMode.Json ? _stderr : _stdout, _ansi);
    }

    /// <inheritdoc />
    public void Summary(TableData table) => WriteTable(table, Mode == OutputMode.Json ? _stderr : _stdout, _ansi);

    private void WriteTable(TableData data, TextWriter writer, IAnsiConsole? ansi)
    {
        lock (_gate)
        {
            if (ansi is null) { writer.Write(data.ToPlainText()); return; }
            var table = new Table().Border(TableBorder.Rounded);
            if (data.Title.Length > 0) table.Title = new TableTitle($"[bold]{Markup.Escape(data.Title)}[/]");
            foreach (var c in data.Columns) table.AddColumn(new TableColumn($"[bold]{Markup.Escape(c)}[/]"));
            foreach (var row in data.Rows) table.AddRow(row.Select(cell => new Markup(ColourCell(cell))).ToArray());
            ansi.Write(table);
        }
    }

    // Status words in tables get colours on a terminal.
    private static string ColourCell(string cell) => cell switch
    {
        "ok" or "passed" or "yes" => $"[green]{cell}[/]",
        "FAILED" or "failed" or "no" => $"[red]{cell}[/]",
        "skipped" => $"[yellow]{cell}[/]",
        _ => Markup.Escape(cell),
    };

    /// <inheritdoc />
    public void Error(string text)
    {
        lock (_gate)
        {
            if (_ansiErr is not null) _ansiErr.MarkupLine($"[red]error:[/] {Markup.Escape(text)}");
            else _stderr.WriteLine("error: " + text);
        }
    }

    /// <inheritdoc />
    public void Json(string json)
    {
        lock (_gate) { _stdout.WriteLine(json); _stdout.Flush(); }
    }

    /// <inheritdoc />
    public void Progress(Action<IProgressScope> body)
    {
        if (!Chatty) { body(NullProgress.Instance); return; }
        if (_ansi is null) { body(new PlainProgress(this)); return; }
        // One column lays out the whole row (see ProgressLineColumn): nothing wraps at any terminal width.
        var line = new ProgressLineColumn();
        new Progress(_ansi)
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(line)
            .Start(ctx => body(new SpectreProgress(ctx, line)));
    }

    private sealed class SpectreProgress(ProgressContext ctx, ProgressLineColumn line) : IProgressScope
    {
        public IProgressTask AddTask(string description, double total)
        {
            // Two task rows per bar: the bar and its status, then the second line of the status.
            var task = ctx.AddTask(description, autoStart: true, maxValue: Math.Max(total, 1e-9));
            var detail = ctx.AddTask(description, autoStart: true, maxValue: 1);
            var row = new ProgressLineColumn.Row(description, detail: false);
            line.Rows[task.Id] = row;
            line.Rows[detail.Id] = new ProgressLineColumn.Row(description, detail: true);
            return new SpectreTask(task, detail, row, line.Rows[detail.Id]);
        }
    }

    private sealed class SpectreTask(ProgressTask task, ProgressTask detail, ProgressLineColumn.Row row, ProgressLineColumn.Row detailRow) : IProgressTask
    {
        public void Update(double value, string status)
        {
            row.Status = status;
            detailRow.Status = status;
            task.Value = Math.Min(value, task.MaxValue);
        }

        public void Complete(string status)
        {
            Update(task.MaxValue, status);
            task.StopTask();
            detail.Value = detail.MaxValue;
            detail.StopTask();
        }
    }

    private sealed class PlainProgress(ConsoleUi ui) : IProgressScope
    {
        public IProgressTask AddTask(string description, double total) => new PlainTask(ui, description, total);
    }

    // Without a terminal a bar cannot be redrawn: print a line every few seconds and one at the end.
    private sealed class PlainTask(ConsoleUi ui, string name, double total) : IProgressTask
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private TimeSpan _lastPrint = TimeSpan.Zero;
        private bool _done;

        public void Update(double value, string status)
        {
            if (_done || _clock.Elapsed - _lastPrint < TimeSpan.FromSeconds(10)) return;
            _lastPrint = _clock.Elapsed;
            double pct = total > 0 ? 100 * value / total : 100;
            ui.Line($"  {name} [{pct,3:F0}%] {status.Replace("\n", " | ", StringComparison.Ordinal)}", Tone.Detail);
        }

        public void Complete(string status)
        {
            if (_done) return;
            _done = true;
            ui.Line($"  {name} done in {_clock.Elapsed.TotalSeconds:F1}s  {status.Replace("\n", " | ", StringComparison.Ordinal)}", Tone.Detail);
        }
    }

    private sealed class NullProgress : IProgressScope, IProgressTask
    {
        public static readonly NullProgress Instance = new();
        public IProgressTask AddTask(string description, double total) => this;
        public void Update(double value, string status) { }
        public void Complete(string status) { }
    }
}

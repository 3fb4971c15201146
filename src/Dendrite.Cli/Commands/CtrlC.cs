namespace Dendrite.Cli.Commands;

/// <summary>
/// Turns the first Ctrl+C of a long command into a cancellation request: the trainer finishes its current step,
/// writes its checkpoint and the command exits with code 130. A second Ctrl+C ends the process at once, as usual.
/// Also cancelled by the console's <see cref="CliConsole.Interrupt"/> token (tests). Dispose to stop trapping.
/// </summary>
public sealed class CtrlC : IDisposable
{
    /// <summary>The conventional exit code of a command ended by Ctrl+C (128 + SIGINT).</summary>
    public const int ExitCode = 130;

    private readonly CancellationTokenSource _source;
    private readonly CliConsole _console;

    /// <summary>Starts trapping Ctrl+C when the console asks for it.</summary>
    public CtrlC(CliConsole console)
    {
        _console = console ?? throw new ArgumentNullException(nameof(console));
        _source = CancellationTokenSource.CreateLinkedTokenSource(console.Interrupt);
        if (console.TrapCtrlC) Console.CancelKeyPress += OnCancelKeyPress;
    }

    /// <summary>Cancelled on the first Ctrl+C.</summary>
    public CancellationToken Token => _source.Token;

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (_source.IsCancellationRequested) return; // the second press ends the process
        e.Cancel = true;
        _console.Error.WriteLine("Ctrl+C: stopping after the current step and writing a checkpoint (press Ctrl+C again to quit at once)");
        try { _source.Cancel(); } catch (ObjectDisposedException) { } // the command has just finished

    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_console.TrapCtrlC) Console.CancelKeyPress -= OnCancelKeyPress;
        _source.Dispose();
    }
}

using Dendrite.Cli.Ui;

namespace Dendrite.Cli.Commands;

/// <summary>
/// The process's standard streams and whether they are terminals; tests pass string writers instead, and may pass an
/// <see cref="Interrupt"/> token to stand in for Ctrl+C.
/// </summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, bool OutIsTerminal, bool ErrorIsTerminal)
{
    /// <summary>A token whose cancellation acts like Ctrl+C on long commands (train, search).</summary>
    public CancellationToken Interrupt { get; init; }

    /// <summary>Whether long commands trap Ctrl+C (Console.CancelKeyPress) to stop cleanly; only the real console does.</summary>
    public bool TrapCtrlC { get; init; }

    /// <summary>The real console of this process.</summary>
    public static CliConsole FromProcess()
    {
        // NO_COLOR / TERM=dumb users and CI logs get plain text.
        bool plain = Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 } || Environment.GetEnvironmentVariable("TERM") == "dumb"
                     || Environment.GetEnvironmentVariable("CI") is { Length: > 0 };
        return new CliConsole(Console.Out, Console.Error, !plain && !Console.IsOutputRedirected, !plain && !Console.IsErrorRedirected) { TrapCtrlC = true };
    }

    /// <summary>A console front end for the chosen output mode.</summary>
    public IConsoleUi CreateUi(bool quiet, bool json, bool verbose = false)
    {
        var mode = json ? OutputMode.Json : quiet ? OutputMode.Quiet : OutputMode.Normal;
        return new ConsoleUi(mode, Out, Error, OutIsTerminal, ErrorIsTerminal) { Verbose = verbose };
    }
}

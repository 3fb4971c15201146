using Dendrite.Cli.Commands;

namespace Dendrite.Tests.Cli;

/// <summary>Runs the dendrite command line in-process with captured output, in a temporary folder.</summary>
internal sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Root = Path.Combine(Path.GetTempPath(), "dendrite-cli-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public (int Code, string Out, string Err) Run(params string[] args) => Run(CancellationToken.None, args);

    // interrupt stands in for Ctrl+C: cancelling it is what the first Ctrl+C does in the real console.
    public (int Code, string Out, string Err) Run(CancellationToken interrupt, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, new CliConsole(stdout, stderr, OutIsTerminal: false, ErrorIsTerminal: false) { Interrupt = interrupt });
        return (code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

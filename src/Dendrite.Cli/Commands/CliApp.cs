using System.CommandLine;

namespace Dendrite.Cli.Commands;

/// <summary>The command tree of <c>dendrite</c>.</summary>
public static class CliApp
{
    /// <summary>--quiet: only the final summary.</summary>
    public static readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "Print only the final summary", Recursive = true };

    /// <summary>--json: machine-readable results on stdout, nothing else there.</summary>
    public static readonly Option<bool> JsonOutput = new("--json") { Description = "Write machine-readable JSON results to stdout (progress goes to stderr)", Recursive = true };

    /// <summary>Builds the root command for the given console.</summary>
    public static RootCommand Build(CliConsole console)
    {
        var root = new RootCommand("dendrite: train and evaluate neural networks, and run the classic deep-learning lab with HTML reports");
        root.Options.Add(Quiet);
        root.Options.Add(JsonOutput);
        root.Subcommands.Add(LabCommand.Build(console));
        root.Subcommands.Add(TrainCommand.Build(console));
        root.Subcommands.Add(EvalCommand.Build(console));
        root.Subcommands.Add(SearchCommand.Build(console));
        root.Subcommands.Add(ReportCommand.Build(console));
        root.Subcommands.Add(CompareCommand.Build(console));
        return root;
    }

    /// <summary>Parses and runs a command line; returns the exit code.</summary>
    public static int Run(string[] args, CliConsole console)
    {
        var parse = Build(console).Parse(args);
        return parse.Invoke(new InvocationConfiguration { Output = console.Out, Error = console.Error });
    }

    /// <summary>Runs a command body, turning expected user errors into a message and exit code 2.</summary>
    public static int Guard(CliConsole console, ParseResult parse, Func<Ui.IConsoleUi, int> body)
    {
        var ui = console.CreateUi(parse.GetValue(Quiet), parse.GetValue(JsonOutput));
        try
        {
            return body(ui);
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or FormatException)
        {
            ui.Error(e.Message);
            return 2;
        }
    }
}

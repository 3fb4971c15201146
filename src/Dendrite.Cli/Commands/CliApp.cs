using System.CommandLine;
using System.Text.Json;
using Dendrite.Cli.Ui;

namespace Dendrite.Cli.Commands;

/// <summary>The command tree of <c>dendrite</c>, and how it reports what went wrong.</summary>
public static class CliApp
{
    /// <summary>Exit code of a usage error: a bad option, config value or input file.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code of a failure that is not the user's doing (a bug): reported without a stack trace unless --verbose.</summary>
    public const int InternalError = 1;

    /// <summary>--quiet: only the final summary.</summary>
    public static readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "Print only the final summary", Recursive = true };

    /// <summary>--json: machine-readable results on stdout, nothing else there.</summary>
    public static readonly Option<bool> JsonOutput = new("--json") { Description = "Write machine-readable JSON results to stdout (progress goes to stderr)", Recursive = true };

    /// <summary>--verbose: stack traces with errors.</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show stack traces with errors (for bug reports)", Recursive = true };

    /// <summary>Builds the root command for the given console.</summary>
    public static RootCommand Build(CliConsole console)
    {
        var root = new RootCommand("dendrite: train and evaluate neural networks, and run the classic deep-learning lab with HTML reports");
        root.Options.Add(Quiet);
        root.Options.Add(JsonOutput);
        root.Options.Add(Verbose);
        root.Subcommands.Add(LabCommand.Build(console));
        root.Subcommands.Add(TrainCommand.Build(console));
        root.Subcommands.Add(EvalCommand.Build(console));
        root.Subcommands.Add(ExportCommand.Build(console));
        root.Subcommands.Add(SearchCommand.Build(console));
        root.Subcommands.Add(ReportCommand.Build(console));
        root.Subcommands.Add(CompareCommand.Build(console));
        root.Subcommands.Add(DevicesCommand.Build(console));
        return root;
    }

    /// <summary>Parses and runs a command line; returns the exit code (2 for anything wrong with what was typed).</summary>
    public static int Run(string[] args, CliConsole console)
    {
        var parse = Build(console).Parse(args);
        if (args.Length == 0)
        {
            // No command at all: show what there is (a usage error all the same).
            Build(console).Parse(["--help"]).Invoke(new InvocationConfiguration { Output = console.Out, Error = console.Error });
            return UsageError;
        }
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors.Select(e => e.Message).Distinct())
                console.Error.WriteLine("error: " + e);
            string command = string.Join(" ", parse.CommandResult.Command.Name == "dendrite" ? ["dendrite"] : Path(parse.CommandResult));
            console.Error.WriteLine($"Run '{command} --help' for the options.");
            return UsageError;
        }
        return parse.Invoke(new InvocationConfiguration { Output = console.Out, Error = console.Error });
    }

    private static IEnumerable<string> Path(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var r = result; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Push(r.Command is RootCommand ? "dendrite" : r.Command.Name);
        return names;
    }

    /// <summary>
    /// Runs a command body. What a user typed or a file held (a bad value, a missing or corrupt file) is one
    /// <c>error:</c> line naming the problem and exit code 2; anything else is reported as an internal error with
    /// exit code 1. Stack traces appear only with --verbose.
    /// </summary>
    public static int Guard(CliConsole console, ParseResult parse, Func<IConsoleUi, int> body)
    {
        var ui = console.CreateUi(parse.GetValue(Quiet), parse.GetValue(JsonOutput), parse.GetValue(Verbose));
        try
        {
            return body(ui);
        }
        catch (Exception e) when (IsUserError(e))
        {
            ui.Error(e.Message);
            if (ui.Verbose)
                ui.Error(e.ToString());
            return UsageError;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ui.Error($"internal error ({e.GetType().Name}): {e.Message}" + (ui.Verbose ? "" : " (run again with --verbose for the stack trace)"));
            if (ui.Verbose)
                ui.Error(e.ToString());
            return InternalError;
        }
    }

    /// <summary>Whether an exception reports something the user typed or a file held, rather than a bug.</summary>
    public static bool IsUserError(Exception e) => e is UsageException or ArgumentException or IOException or UnauthorizedAccessException or InvalidDataException
        or JsonException or FormatException or NN.StateDictMismatchException;
}

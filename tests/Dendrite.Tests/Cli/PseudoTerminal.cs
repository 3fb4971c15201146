using System.Diagnostics;
using System.Text;

namespace Dendrite.Tests.Cli;

/// <summary>
/// Runs the real <c>dendrite</c> executable on a pseudo-terminal of a given width (util-linux <c>script</c>), and
/// replays what it wrote on a small terminal model: the lines as a person would see them, and how often a line ran
/// past the right edge and wrapped.
/// </summary>
internal static class PseudoTerminal
{
    public const string Script = "/usr/bin/script";

    public static bool Available => File.Exists(Script);

    public sealed record Screen(IReadOnlyList<string> Lines, int Wraps, string Raw);

    public static (int Code, Screen Screen) Run(int columns, string workDir, params string[] args) => Run(columns, workDir, new Dictionary<string, string>(), args);

    public static (int Code, Screen Screen) Run(int columns, string workDir, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string exe = Path.Combine(AppContext.BaseDirectory, "Dendrite.Cli");
        string typescript = Path.Combine(workDir, $"tty-{columns}.txt");
        string command = $"stty cols {columns} rows 50; exec {Quote(exe)} {string.Join(" ", args.Select(Quote))}";
        var psi = new ProcessStartInfo(Script) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[] { "-q", "-f", "-e", "-c", command, typescript })
            psi.ArgumentList.Add(a);
        psi.Environment.Remove("CI");
        psi.Environment.Remove("NO_COLOR");
        psi.Environment["TERM"] = "xterm-256color";
        foreach (var (k, v) in environment)
            psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        string raw = File.ReadAllText(typescript);
        // script frames the session with "Script started/done" lines; the program's output is between them.
        int start = raw.IndexOf('\n') + 1, end = raw.LastIndexOf("\nScript done", StringComparison.Ordinal);
        return (p.ExitCode, Replay(raw[start..(end < start ? raw.Length : end)], columns));
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    /// <summary>Plays terminal output on a screen <paramref name="columns"/> wide (deferred auto-wrap, as xterm).</summary>
    public static Screen Replay(string output, int columns)
    {
        var lines = new List<StringBuilder> { new() };
        int row = 0, col = 0, wraps = 0;
        void Put(char c)
        {
            if (col >= columns)
            {
                wraps++;
                col = 0;
                row++;
            }
            while (lines.Count <= row) lines.Add(new StringBuilder());
            var line = lines[row];
            while (line.Length < col) line.Append(' ');
            if (col < line.Length) line[col] = c;
            else line.Append(c);
            col++;
        }
        for (int i = 0; i < output.Length; i++)
        {
            char c = output[i];
            if (c == '\x1b' && i + 1 < output.Length)
            {
                char kind = output[i + 1];
                if (kind == '[')
                {
                    int j = i + 2;
                    while (j < output.Length && output[j] is (>= '0' and <= '9') or ';' or '?') j++;
                    string args = output[(i + 2)..j];
                    int n = int.TryParse(args.TrimStart('?').Split(';')[0], out int v) ? v : 1;
                    switch (j < output.Length ? output[j] : ' ')
                    {
                        case 'A': row = Math.Max(0, row - n); break;
                        case 'B': row += n; break;
                        case 'C': col += n; break;
                        case 'D': col = Math.Max(0, col - n); break;
                        case 'G': col = n - 1; break;
                        case 'K' when row < lines.Count:
                            if (args is "2") lines[row].Clear();
                            else if (col < lines[row].Length) lines[row].Length = col;
                            break;
                    }
                    i = j;
                }
                else if (kind == ']')
                {
                    int bel = output.IndexOf('\a', i);
                    i = bel < 0 ? output.Length : bel;
                }
                else
                    i++; // ESC = and the like
                continue;
            }
            switch (c)
            {
                case '\r': col = 0; break;
                case '\n': row++; break;
                case '\a' or '\b': break;
                default: Put(c); break;
            }
        }
        return new Screen([.. lines.Select(l => l.ToString().TrimEnd())], wraps, output);
    }
}

/// <summary>A fact that needs util-linux's <c>script</c> to give the CLI a pseudo-terminal (Debian has it in bsdutils).</summary>
public sealed class PseudoTerminalFactAttribute : FactAttribute
{
    public PseudoTerminalFactAttribute()
    {
        if (!PseudoTerminal.Available)
            Skip = $"{PseudoTerminal.Script} (util-linux) is not installed";
    }
}

/// <summary>
/// A theory that needs util-linux's <c>script</c> (see <see cref="PseudoTerminalFactAttribute"/>), and Fashion-MNIST
/// when <paramref name="needsFashionMnist"/>.
/// </summary>
public sealed class PseudoTerminalTheoryAttribute : TheoryAttribute
{
    public PseudoTerminalTheoryAttribute(bool needsFashionMnist = false)
    {
        if (!PseudoTerminal.Available)
            Skip = $"{PseudoTerminal.Script} (util-linux) is not installed";
        else if (needsFashionMnist && !Dendrite.Data.Datasets.FashionMnist.IsAvailable())
            Skip = "Fashion-MNIST is not installed: sudo apt-get install dataset-fashion-mnist";
    }
}

using Dendrite.Cli.Ui;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Dendrite.Tests.Cli;

// What a person sees in a terminal of 80, 120 or 200 columns: nothing wraps, nothing is printed twice.
public sealed class TerminalDisplayTests
{
    [PseudoTerminalTheory]
    [InlineData(80)]
    [InlineData(120)]
    [InlineData(200)]
    public void TrainingDisplayFitsTheTerminalAndPrintsOneSummary(int columns)
    {
        using var cli = new CliHarness();
        var (code, screen) = PseudoTerminal.Run(columns, cli.Root, "train", "--dataset", "moons", "--epochs", "40", "--batch", "8", "--out", cli.Root);
        Assert.Equal(0, code);
        Assert.Equal(0, screen.Wraps);
        Assert.All(screen.Lines, l => Assert.True(l.Length <= columns, $"{l.Length} > {columns}: {l}"));
        Assert.Single(screen.Lines, l => l.Contains("epochs_completed")); // the metrics table once
        Assert.Single(screen.Lines, l => l.Trim() == "train: ok"); // its title on one line
        var bar = Assert.Single(screen.Lines, l => l.StartsWith("model  ", StringComparison.Ordinal)); // redrawn in place
        Assert.Contains("100%", bar);
        Assert.Contains("epoch 40/40 batch 90/90", bar);
        Assert.Equal(1, bar.Split("ETA").Length - 1);
        var metrics = screen.Lines[screen.Lines.ToList().IndexOf(bar) + 1];
        Assert.StartsWith("  loss ", metrics);
        Assert.Contains("dev loss", metrics);
    }

    [PseudoTerminalFact]
    public void TheLabSummaryCountsOkSkippedAndFailedAndExplainsSkipsOnce()
    {
        using var cli = new CliHarness();
        var env = new Dictionary<string, string> { ["DENDRITE_DATA"] = Path.Combine(cli.Root, "no-data") };
        var (code, screen) = PseudoTerminal.Run(120, cli.Root, env, "lab", "run", "perceptron", "cnn", "mlp", "--quick", "--out", cli.Root);
        Assert.Equal(0, code);
        Assert.Equal(0, screen.Wraps);
        Assert.Contains(screen.Lines, l => l.Contains("lab run: 1 ok, 2 skipped, 0 failed in"));
        var skipped = screen.Lines.Where(l => l.StartsWith("skipped: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2 + 1, skipped.Count); // once per experiment as it is skipped, once under the summary
        Assert.All(skipped, l => Assert.Contains($"Fashion-MNIST was not found in {Path.Combine(cli.Root, "no-data", "fashion-mnist")}", l));
        Assert.DoesNotContain(screen.Lines, l => l.Contains("apt-get"));
        var cnnRow = Assert.Single(screen.Lines, l => l.Contains("│ cnn "));
        Assert.Contains("needs Fashion-MNIST", cnnRow);
        Assert.DoesNotContain("not found", cnnRow); // the reason is not squeezed into the table
    }

    // Nine bars in a row, with test metrics beside the train ones: the case that broke at 120 columns.
    [PseudoTerminalTheory(needsFashionMnist: true)]
    [InlineData(80)]
    [InlineData(120)]
    public void LabBarsWithTestMetricsFitTheTerminal(int columns)
    {
        using var cli = new CliHarness();
        var (code, screen) = PseudoTerminal.Run(columns, cli.Root, "lab", "run", "optimizers", "--quick", "--out", cli.Root);
        Assert.Equal(0, code);
        Assert.Equal(0, screen.Wraps);
        var bars = screen.Lines.Where(l => l.Contains("━")).ToList();
        Assert.Equal(9, bars.Count); // SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam, Adadelta, Adamax, NAdam: each drawn once, in place
        Assert.All(bars, b => Assert.Contains("100%", b));
        Assert.Equal(9, screen.Lines.Count(l => l.StartsWith("  loss ", StringComparison.Ordinal) && l.Contains("test loss")));
    }

    // A status as long as a lab run's, with test metrics beside dev ones, laid out by the progress column.
    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    [InlineData(200)]
    public void ALongStatusIsCutToTheWidthNotWrapped(int columns)
    {
        var column = new ProgressLineColumn();
        var task = new ProgressTask(1, "mlp", 100, autoStart: true) { Value = 37 };
        var detail = new ProgressTask(2, "mlp", 1, autoStart: true);
        string status = "epoch 7/10 batch 120/235 ETA 0:42\nloss 0.4512 acc 0.841 | dev loss 0.4611 accuracy 0.8377, test loss 0.4733 accuracy 0.8302 | 12,345 samples/s";
        column.Rows[1] = new ProgressLineColumn.Row("mlp", detail: false) { Status = status };
        column.Rows[2] = new ProgressLineColumn.Row("mlp", detail: true) { Status = status };
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Out = new AnsiConsoleOutput(writer) });
        console.Profile.Width = columns;
        var options = RenderOptions.Create(console, console.Profile.Capabilities);
        console.Write(column.Render(options, task, TimeSpan.Zero));
        console.WriteLine();
        console.Write(column.Render(options, detail, TimeSpan.Zero));
        var lines = writer.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.True(l.Length < columns, $"{l.Length} ≥ {columns}: {l}"));
        Assert.StartsWith("mlp  ━", lines[0]);
        Assert.Contains(" 37%  0:00  epoch 7/10 batch 120/235 ETA 0:42", lines[0]);
        Assert.StartsWith("  loss 0.4512", lines[1]);
        if (columns < 100)
            Assert.EndsWith("…", lines[1]);
        else
            Assert.EndsWith("12,345 samples/s", lines[1]);
        Assert.Equal("abc…", ProgressLineColumn.Fit("abcdef", 4));
    }
}

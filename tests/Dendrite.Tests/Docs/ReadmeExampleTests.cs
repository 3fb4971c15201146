using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Tests.Docs;

/// <summary>
/// The README's first example: the code between the markers below is the README's code (checked), and what it
/// prints is the output the README shows (checked), so the front page stays true.
/// </summary>
public sealed class ReadmeExampleTests
{
    private static void Example()
    {
        // --- README example begins ---
        Tensor.ManualSeed(0);
        var x = Tensor.RandN(512, 2);                                        // points in the plane
        var y = (x[.., 0] * x[.., 1]).Gt(0).To(DType.Float32).Unsqueeze(1); // 1 where both coordinates share a sign
        var model = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 1));
        var lossFn = new BCEWithLogitsLoss();
        var opt = new Adam(model.Parameters(), lr: 0.05);
        for (int step = 1; step <= 300; step++)
        {
            opt.ZeroGrad();
            var loss = lossFn.Call(model.Call(x), y);
            loss.Backward();
            opt.Step();
            if (step % 100 == 0) Console.WriteLine($"step {step}: loss {loss.Item():F4}");
        }
        var accuracy = model.Call(x).Gt(0).To(DType.Float32).Eq(y).To(DType.Float32).Mean().Item();
        Console.WriteLine($"accuracy {accuracy:F3}");
        // --- README example ends ---
    }

    internal static string Readme([CallerFilePath] string here = "")
    {
        for (var dir = Path.GetDirectoryName(here); dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "README.md")) && Directory.Exists(Path.Combine(dir, "src")))
                return File.ReadAllText(Path.Combine(dir, "README.md"));
        throw new FileNotFoundException($"no README.md above {here}");
    }

    private static string Source([CallerFilePath] string here = "") => File.ReadAllText(here);

    private static string Dedent(IEnumerable<string> lines)
    {
        var list = lines.ToList();
        int indent = list.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", list.Select(l => l.Length >= indent ? l[indent..] : l.Trim())).Trim();
    }

    [Fact]
    public void TheFirstExampleIsTheReadmesCodeAndPrintsTheOutputItShows()
    {
        string readme = Readme().Replace("\r\n", "\n");
        var blocks = Regex.Matches(readme, "```csharp\n(.*?)```", RegexOptions.Singleline);
        string shown = string.Join("\n", blocks[0].Groups[1].Value.Split('\n').Where(l => !l.StartsWith("using ", StringComparison.Ordinal))).Trim();
        var source = Source().Replace("\r\n", "\n").Split('\n');
        int begin = Array.FindIndex(source, l => l.Contains("--- README example begins ---")), end = Array.FindIndex(source, l => l.Contains("--- README example ends ---"));
        Assert.Equal(shown, Dedent(source[(begin + 1)..end]));

        var printed = new StringWriter();
        var console = Console.Out;
        Console.SetOut(printed);
        try
        {
            Example();
        }
        finally
        {
            Console.SetOut(console);
        }
        // Only the example's own lines (another test may write to the console meanwhile).
        var lines = printed.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("step ", StringComparison.Ordinal) || l.StartsWith("accuracy ", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, lines.Count);
        Assert.True(double.Parse(lines[^1]["accuracy ".Length..], System.Globalization.CultureInfo.InvariantCulture) >= 0.95, lines[^1]);
        var output = Regex.Match(readme, "prints\n\n```text\n(.*?)```", RegexOptions.Singleline);
        Assert.True(output.Success, "the README shows the example's output after it");
        Assert.Equal(string.Join("\n", lines), output.Groups[1].Value.Trim());
    }
}

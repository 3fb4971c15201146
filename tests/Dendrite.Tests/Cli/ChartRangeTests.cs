using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Dendrite.Cli.Reports;

namespace Dendrite.Tests.Cli;

// Chart ranges come from the data: the smallest value still gets a bar, a value that cannot be drawn is labelled,
// points stay inside the frame next to labelled ticks, and legends show whole names.
public sealed class ChartRangeTests
{
    private static XElement Svg(string svg) => XElement.Parse(svg);

    private static IEnumerable<XElement> All(XElement svg, string name) => svg.Descendants().Where(e => e.Name.LocalName == name);

    private static double A(XElement e, string attribute) => double.Parse(e.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);

    [Fact]
    public void LogBarsOfTinyGradientsAreDrawnAndExactZerosAreWritten()
    {
        // The vanishing-gradients lesson: layer-1 norms of 5.2e-12 and 6.2e-17 are what the chart exists to show.
        var block = new BarChartBlock("norms", "‖∂L/∂W‖₂", ["layer 1", "layer 2", "layer 3"],
            [new BarSeries("sigmoid", [5.2e-12, 3e-6, 2e-2]), new BarSeries("LeakyReLU", [6.2e-17, 0, 1e-3])], LogY: true);
        var svg = Svg(HtmlReport.RenderBlock(block, small: false).Replace("<figure>", "").Replace("</figure>", ""));
        var bars = All(svg, "rect").Where(r => r.Attribute("data-value") is not null).ToList();
        Assert.Equal(5, bars.Count);
        Assert.All(bars, b => Assert.True(A(b, "height") >= 3, $"the bar of {b.Attribute("data-value")!.Value} is {A(b, "height")} px high"));
        var smallest = bars.Single(b => b.Attribute("data-value")!.Value == "6.2E-17");
        Assert.True(A(smallest, "height") < A(bars.Single(b => b.Attribute("data-value")!.Value == "5.2E-12"), "height"));
        var zero = Assert.Single(All(svg, "text"), t => t.Attribute("data-value")?.Value == "0");
        Assert.Equal("0", zero.Value);
        var ticks = All(svg, "text").Select(t => t.Value).Where(v => v.StartsWith("1e", StringComparison.Ordinal)).ToList();
        Assert.Equal("1e-17", ticks[0]); // the axis starts at the decade below the smallest value, from the data
    }

    [Fact]
    public void ScatterPointsStayInsideTheFrameAndBothEndsHaveLabelledTicks()
    {
        double[] lr = [2.1e-4, 3.3e-4, 9.7e-4, 1.4e-3], acc = [0.61, 0.83, 0.9, 0.88], wd = [1e-8, 3e-7, 2e-5, 9.9e-5];
        foreach (var block in new[]
                 {
                     new ScatterBlock("acc vs lr", "learning rate", "dev accuracy", [new Series("trials", lr, acc)], LogX: true, ColorValues: [1, 1, 2, 2], ColorLabel: "round"),
                     new ScatterBlock("lr vs wd", "learning rate", "weight decay", [new Series("trials", lr, wd)], LogX: true, LogY: true, ColorValues: acc, ColorLabel: "dev acc"),
                 })
        {
            var svg = Svg(LineChartsOf(block));
            var frame = All(svg, "rect").First(r => r.Attribute("fill")?.Value == "#fbfbfb");
            double left = A(frame, "x"), top = A(frame, "y"), right = left + A(frame, "width"), bottom = top + A(frame, "height");
            foreach (var c in All(svg, "circle"))
            {
                double r = A(c, "r");
                Assert.InRange(A(c, "cx"), left + r, right - r);
                Assert.InRange(A(c, "cy"), top + r, bottom - r);
            }
            // lr spans less than a decade: 1-2-5 ticks put labels near both ends of the data.
            var xTicks = All(svg, "text").Where(t => Math.Abs(A(t, "y") - (bottom + 14)) < 0.5).Select(t => t.Value).ToList();
            Assert.Contains("2e-4", xTicks);
            Assert.Contains("1e-3", xTicks);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AChartWithManySeriesGrowsSoEveryLegendRowIsInside(bool small)
    {
        // moons-mlp's curves: 2 configurations x 3 learning rates x train/dev, plus the 2-5-1 run's two lines.
        var series = Enumerable.Range(0, 14).Select(i => new Series($"2-5-3-1 lr {i} {(i % 2 == 0 ? "train" : "dev")}", [0, 1, 2], [1.0, 0.5, 0.2 + i / 100.0])).ToArray();
        var svg = Svg(HtmlReport.RenderBlock(new LineChartBlock("loss", "epoch", "loss", series), small).Replace("<figure>", "").Replace("</figure>", ""));
        double height = A(svg, "height");
        var rows = All(svg, "text").Where(t => t.Value.StartsWith("2-5-3-1 lr", StringComparison.Ordinal)).ToList();
        Assert.Equal(14, rows.Count);
        Assert.All(rows, t => Assert.True(A(t, "y") + 4 <= height, $"legend row '{t.Value}' at y = {A(t, "y")} is outside the {height} px chart"));
    }

    private static string LineChartsOf(ScatterBlock block) => HtmlReport.RenderBlock(block, small: false).Replace("<figure>", "").Replace("</figure>", "");

    [Fact]
    public void CompareLegendsShowWholeRunNames()
    {
        using var cli = new CliHarness();
        var runs = new List<string>();
        for (int i = 0; i < 2; i++)
        {
            var (code, output, _) = cli.Run("train", "--dataset", "moons", "--epochs", "2", "--seed", (i + 1).ToString(CultureInfo.InvariantCulture), "--out", cli.Root, "--json");
            Assert.Equal(0, code);
            runs.Add(JsonNode.Parse(output)!["runDir"]!.GetValue<string>());
        }
        string page = Path.Combine(cli.Root, "compare.html");
        Assert.Equal(0, cli.Run(["compare", .. runs, "-o", page]).Code);
        string html = File.ReadAllText(page);
        var legend = System.Text.RegularExpressions.Regex.Matches(html, "<text[^>]*>(train-[^<]* train)</text>").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(2, legend.Count); // one train line per run
        Assert.All(legend, n => Assert.True(n.Length > 26, n));
        Assert.Contains($"{Path.GetFileName(runs[0])} train", legend);
        Assert.DoesNotContain("…</text>", html);
    }
}

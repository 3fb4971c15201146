using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Dendrite.Cli.Reports;
using Dendrite.Cli.Runs;

namespace Dendrite.Tests.Cli;

internal static class ReportHtmlAssert
{
    /// <summary>Every inline SVG parses as XML; the page loads nothing from the network and runs no script.</summary>
    public static void SvgPartsAreWellFormed(string html)
    {
        var svgs = Regex.Matches(html, "<svg.*?</svg>", RegexOptions.Singleline);
        Assert.NotEmpty(svgs);
        foreach (Match m in svgs)
        {
            var doc = XDocument.Parse(m.Value);
            Assert.Equal("svg", doc.Root!.Name.LocalName);
        }
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        string withoutNamespace = html.Replace("http://www.w3.org/2000/svg", "");
        Assert.DoesNotContain("http://", withoutNamespace);
        Assert.DoesNotContain("https://", withoutNamespace);
    }
}

public sealed class ReportTests
{
    private static ReportDocument EveryBlock()
    {
        double[] x = [1, 2, 3, 4], y = [0.5, 0.25, 0.2, 0.1];
        var z = new double[20 * 10];
        for (int j = 0; j < 10; j++) for (int i = 0; i < 20; i++) z[j * 20 + i] = (i - 10) * (i - 10) / 20.0 + (j - 5) * (j - 5);
        var doc = new ReportDocument { Title = "All <blocks> & more", Description = "every block type" };
        doc.Heading("h").Text("para one\n\npara two").Text("mono", mono: true)
            .Add(new TableBlock("t", ["a", "b"], [["1", "FAILED"], ["2", "passed"]]))
            .Add(new LineChartBlock("line", "x", "y", [new Series("s1", x, y), new Series("s2", x, [1, double.NaN, 3, 4], Dashed: true)], LogY: true))
            .Add(new ScatterBlock("scatter", "lr", "acc", [new Series("g", [1e-5, 1e-3, 1e-2], [0.1, 0.5, 0.8])], LogX: true, ColorValues: [1, 2, 3], ColorLabel: "round"))
            .Add(new BarChartBlock("bars", "norm", ["l1", "l2"], [new BarSeries("a", [1e-9, 0.3]), new BarSeries("b", [0, 0.5])], LogY: true))
            .Add(new HistogramBlock("hist", "v", -1, 1, [new BarSeries("n", [1, 5, 9, 5, 1])]))
            .Add(new HeatmapBlock("confusion", 2, 2, [5, 1, 2, 7], ["a", "b"], ["a", "b"], "true", "predicted"))
            .Add(new DecisionBoundaryBlock("boundary", -1, 1, -1, 1, 3, 3, [0, 0.2, 0.4, 0.3, 0.5, 0.7, 0.6, 0.8, 1], [0.1, -0.5], [0.2, 0.3], [0, 1]))
            .Add(new ContourBlock("contour", -10, 10, -5, 5, 20, 10, z, [1, 4, 9], [new Series("path", [-7, -3, 0], [2, -1, 0], Markers: true)]))
            .Add(new ImageGridBlock("images", 2, 2, 2, [new ImageTile([0, 0.5f, 1, 0.25f], "ok"), new ImageTile([1, 1, 0, 0], "wrong", Flag: true)]))
            .Add(new GridBlock("grid", 2, [new HistogramBlock("small", "", 0, 1, [new BarSeries("", [1, 2])]), new LineChartBlock("l", "x", "y", [new Series("", x, y)])]));
        return doc;
    }

    [Fact]
    public void EveryBlockRendersWellFormedSelfContainedHtml()
    {
        var history = new RunHistory();
        history.Log("model", 1, ("train_loss", 1.0), ("dev_loss", 1.2), ("train_acc", 0.5));
        history.Log("model", 2, ("train_loss", 0.5), ("dev_loss", 0.7), ("train_acc", 0.8));
        string html = HtmlReport.Render(EveryBlock(), new JsonObject { ["seed"] = 1 }, new JsonObject { ["status"] = "ok", ["metrics"] = new JsonObject { ["acc"] = 0.9 } },
            history, "run-1");
        ReportHtmlAssert.SvgPartsAreWellFormed(html);
        Assert.Contains("All &lt;blocks&gt; &amp; more", html);
        Assert.Contains("data:image/png;base64,", html);
        Assert.Contains("Training curves", html);
        Assert.Equal(2, Regex.Matches(html, "<figure class=\"tile").Count);
    }

    [Fact]
    public void ReportDocumentRoundTripsThroughJson()
    {
        var doc = EveryBlock();
        string json = System.Text.Json.JsonSerializer.Serialize(doc, Json.Compact);
        var back = System.Text.Json.JsonSerializer.Deserialize<ReportDocument>(json, Json.Options)!;
        Assert.Equal(doc.Blocks.Count, back.Blocks.Count);
        Assert.Equal(doc.Blocks.Select(b => b.GetType()), back.Blocks.Select(b => b.GetType()));
        var empty = new JsonObject();
        Assert.Equal(HtmlReport.Render(doc, empty, empty, new RunHistory(), "r"), HtmlReport.Render(back, empty, empty, new RunHistory(), "r"));
    }

    [Fact]
    public void Crc32MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Fact]
    public void PngEncoderWritesValidChunksAndPixels()
    {
        byte[] pixels = [0, 64, 128, 255, 10, 20];
        byte[] png = Png.Encode(pixels, 3, 2, 1);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10], png[..8]);
        int pos = 8;
        var idat = new MemoryStream();
        var types = new List<string>();
        while (pos < png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + len));
            Assert.Equal(Crc32.Compute(png.AsSpan(pos + 4, 4 + len)), crc);
            if (type == "IHDR")
            {
                Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos + 8)));
                Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos + 12)));
            }
            if (type == "IDAT") idat.Write(png, pos + 8, len);
            types.Add(type);
            pos += 12 + len;
        }
        Assert.Equal(["IHDR", "IDAT", "IEND"], types);
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        Assert.Equal(new byte[] { 0, 0, 64, 128, 0, 255, 10, 20 }, raw.ToArray()); // filter byte 0 before each row
        Assert.Throws<ArgumentException>(() => Png.Encode(pixels, 4, 2, 1));
    }

    [Fact]
    public void MarchingSquaresFindsTheLevelCrossings()
    {
        // z = x on a 3x2 grid: the level 0.5 crosses every row halfway between columns 0 and 1.
        double[] z = [0, 1, 2, 0, 1, 2];
        var segs = Contours.Segments(z, 3, 2, 0.5);
        var s = Assert.Single(segs);
        Assert.Equal(0.5, s.X0, 12);
        Assert.Equal(0.5, s.X1, 12);
        Assert.Equal(1, Math.Abs(s.Y1 - s.Y0), 12);
        Assert.Empty(Contours.Segments(z, 3, 2, 5));
    }

    [Fact]
    public void ConfigHashIgnoresKeyOrderAndChangesWithValues()
    {
        var a = JsonNode.Parse("""{"b":1,"a":{"y":2,"x":[1,2]}}""");
        var b = JsonNode.Parse("""{"a":{"x":[1,2],"y":2},"b":1}""");
        var c = JsonNode.Parse("""{"a":{"x":[1,2],"y":3},"b":1}""");
        Assert.Equal(Json.Hash(a), Json.Hash(b));
        Assert.NotEqual(Json.Hash(a), Json.Hash(c));
        Assert.Matches("^[0-9a-f]{12}$", Json.Hash(a));
    }

    [Fact]
    public void HistoryCsvRoundTrips()
    {
        var h = new RunHistory();
        h.Log("a", 1, ("train_loss", 0.5));
        h.Log("b", 1, ("train_loss", 0.25), ("test_acc", 0.875));
        var back = RunHistory.FromCsv(h.ToCsv());
        Assert.Equal(h.ToCsv(), back.ToCsv());
        Assert.Equal(["a", "b"], back.Series);
        Assert.Throws<InvalidDataException>(() => RunHistory.FromCsv("epoch,series\n"));
        Assert.Throws<ArgumentException>(() => h.Log("bad,name", 1));
    }
}

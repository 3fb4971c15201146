namespace Dendrite.Cli.Reports;

/// <summary>The content of a run's report page, apart from what is read from config.json, metrics.json and history.csv.</summary>
public sealed class ReportDocument
{
    /// <summary>The page title.</summary>
    public string Title { get; set; } = "";

    /// <summary>A one-paragraph description shown under the title.</summary>
    public string Description { get; set; } = "";

    /// <summary>The blocks in page order.</summary>
    public List<ReportBlock> Blocks { get; set; } = [];

    /// <summary>Appends a block.</summary>
    public ReportDocument Add(ReportBlock block)
    {
        Blocks.Add(block);
        return this;
    }

    /// <summary>Appends a heading.</summary>
    public ReportDocument Heading(string text) => Add(new HeadingBlock(text));

    /// <summary>Appends a paragraph.</summary>
    public ReportDocument Text(string text, bool mono = false) => Add(new TextBlock(text, mono));
}

using System.Text.Json.Serialization;

namespace Dendrite.Cli.Reports;

/// <summary>One element of a report page; serialized to report.json so a report can be rebuilt from its run folder.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(HeadingBlock), "heading")]
[JsonDerivedType(typeof(TextBlock), "text")]
[JsonDerivedType(typeof(TableBlock), "table")]
[JsonDerivedType(typeof(GridBlock), "grid")]
[JsonDerivedType(typeof(LineChartBlock), "line")]
[JsonDerivedType(typeof(ScatterBlock), "scatter")]
[JsonDerivedType(typeof(BarChartBlock), "bar")]
[JsonDerivedType(typeof(HistogramBlock), "histogram")]
[JsonDerivedType(typeof(HeatmapBlock), "heatmap")]
[JsonDerivedType(typeof(DecisionBoundaryBlock), "boundary")]
[JsonDerivedType(typeof(ContourBlock), "contour")]
[JsonDerivedType(typeof(ImageGridBlock), "images")]
public abstract record ReportBlock;

/// <summary>A section heading.</summary>
public sealed record HeadingBlock(string Text) : ReportBlock;

/// <summary>A paragraph of plain text; <c>Mono</c> shows it preformatted.</summary>
public sealed record TextBlock(string Text, bool Mono = false) : ReportBlock;

/// <summary>A table of text cells.</summary>
public sealed record TableBlock(string Title, string[] Columns, string[][] Rows) : ReportBlock;

/// <summary>Small multiples: blocks laid out in a grid of <c>Columns</c> columns.</summary>
public sealed record GridBlock(string Title, int Columns, ReportBlock[] Items) : ReportBlock;

/// <summary>A named line of (x, y) points; <c>Colour</c> picks a palette entry (-1: by position).</summary>
public sealed record Series(string Name, double[] X, double[] Y, bool Dashed = false, bool Markers = false, int Colour = -1);

/// <summary>A line chart of several series with a legend.</summary>
public sealed record LineChartBlock(string Title, string XLabel, string YLabel, Series[] Series, bool LogX = false, bool LogY = false)
    : ReportBlock;

/// <summary>A scatter plot; points may carry a value coloured on a scale (<c>ColorLabel</c> names it).</summary>
public sealed record ScatterBlock(string Title, string XLabel, string YLabel, Series[] Groups, bool LogX = false, bool LogY = false,
    double[]? ColorValues = null, string? ColorLabel = null) : ReportBlock;

/// <summary>A named set of bar heights, one per category.</summary>
public sealed record BarSeries(string Name, double[] Values);

/// <summary>A grouped bar chart over categories.</summary>
public sealed record BarChartBlock(string Title, string YLabel, string[] Categories, BarSeries[] Series, bool LogY = false) : ReportBlock;

/// <summary>Bin counts of one or more samples over the common range [Min, Max].</summary>
public sealed record HistogramBlock(string Title, string XLabel, double Min, double Max, BarSeries[] Series) : ReportBlock;

/// <summary>A matrix drawn as coloured cells (confusion matrices), row-major values.</summary>
public sealed record HeatmapBlock(string Title, int RowCount, int ColumnCount, double[] Values, string[] RowLabels, string[] ColumnLabels,
    string RowTitle, string ColumnTitle, bool Annotate = true) : ReportBlock;

/// <summary>A classifier's probability over a 2-D grid (row-major, y major) with the data points on top.</summary>
public sealed record DecisionBoundaryBlock(string Title, double XMin, double XMax, double YMin, double YMax, int Nx, int Ny,
    double[] Probability, double[] PointX, double[] PointY, int[] PointLabel) : ReportBlock;

/// <summary>Contour lines of a function sampled on a grid (row-major, y major), with paths drawn over it.</summary>
public sealed record ContourBlock(string Title, double XMin, double XMax, double YMin, double YMax, int Nx, int Ny, double[] Z,
    double[] Levels, Series[] Paths) : ReportBlock;

/// <summary>A grayscale image with a caption; <c>Flag</c> marks it (e.g. a wrong prediction).</summary>
public sealed record ImageTile(float[] Pixels, string Caption, bool Flag = false);

/// <summary>A grid of small grayscale images, embedded as PNG data URIs.</summary>
public sealed record ImageGridBlock(string Title, int Width, int Height, int Columns, ImageTile[] Tiles, int Scale = 3) : ReportBlock;
